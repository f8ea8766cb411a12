import { randomUUID } from 'node:crypto';
import type { RouteOutput } from '../../../shared/contract';
import { call, openCliApp, type CliContext } from '../cli-app';
import { findModel } from './models';

export interface BenchOptions {
  prompt: number[];
  generate: number;
  reps: number;
  json?: boolean;
  dataDir?: string;
}

type ChatResult = RouteOutput<'engine.chat'>;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** A prompt of about `tokens` tokens in any vocabulary: short common words, one token each or close. */
const promptOf = (tokens: number, salt: string): string =>
  `${salt} ${Array.from({ length: tokens }, (_, i) => ['the', 'cat', 'sat', 'on', 'a', 'mat'][i % 6]).join(' ')}`;

/**
 * `hearth bench <model>`: how fast this model runs here, through Hearth's own engine path: prompt
 * processing and generation tokens/s and time to first token, medians of several runs.
 */
export async function benchCommand(context: CliContext, ref: string, options: BenchOptions): Promise<void> {
  const app = openCliApp(context, options.dataDir);
  try {
    const model = await findModel(app, ref);
    process.stderr.write(`Loading ${model.name}…\n`);
    const loaded = await call<RouteOutput<'engine.load'>>(app, 'engine.load', { modelId: model.id });
    process.stderr.write(
      `Loaded in ${(loaded.loadMs / 1000).toFixed(1)} s: context ${loaded.contextSize}, ${loaded.gpuLayers} layers on the GPU\n`,
    );
    const rows = [];
    for (const promptTokens of options.prompt) {
      const runs: ChatResult['stats'][] = [];
      for (let rep = 0; rep < options.reps; rep++) {
        process.stderr.write(
          `prompt ${promptTokens}, generate ${options.generate}: run ${rep + 1}/${options.reps}\n`,
        );
        // A fresh start each run: nothing is reused from an earlier one's cache.
        const result = await call<ChatResult>(app, 'engine.chat', {
          requestId: randomUUID(),
          messages: [{ role: 'user', content: promptOf(promptTokens, randomUUID()) }],
          sampling: { temperature: 0, maxTokens: options.generate },
          ignoreEos: true,
        });
        runs.push(result.stats);
      }
      rows.push({
        promptTokens: median(runs.map((r) => r.promptTokens)),
        generatedTokens: median(runs.map((r) => r.generatedTokens)),
        promptTokensPerSecond: median(runs.map((r) => r.promptTokensPerSecond)),
        generationTokensPerSecond: median(runs.map((r) => r.generationTokensPerSecond)),
        timeToFirstTokenMs: median(runs.map((r) => r.timeToFirstTokenMs)),
      });
    }
    if (options.json) {
      console.log(
        JSON.stringify({ model: model.name, path: model.path, load: loaded, results: rows }, null, 2),
      );
      return;
    }
    console.log(`${model.name} (${options.reps} runs each, medians)`);
    console.log('prompt tokens   prompt tok/s   generated   generation tok/s   first token');
    for (const r of rows)
      console.log(
        `${String(r.promptTokens).padStart(13)}   ${r.promptTokensPerSecond.toFixed(1).padStart(12)}   ${String(r.generatedTokens).padStart(9)}   ${r.generationTokensPerSecond.toFixed(1).padStart(16)}   ${r.timeToFirstTokenMs.toFixed(0).padStart(8)} ms`,
      );
  } finally {
    await app.close();
  }
}

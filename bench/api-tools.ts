import { join } from 'node:path';
import OpenAI from 'openai';
import { qwenToolsTemplate, shapes, writeLlamaModel } from '../tests/fixtures/gguf';
import type { BenchContext } from './common';
import { placeModel, startApiApp } from './api-server';
import { cachedFile } from './cached-file';

const threads = 2;
const reps = 9;
const contextSize = 2048;

/** The API bench's model size (about 27M parameters), with Qwen 2.5's tool-call template. */
const shape = {
  ...shapes.tiny,
  name: 'Tools bench',
  embedding: 512,
  layers: 8,
  heads: 8,
  kvHeads: 8,
  feedForward: 1536,
};

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const tool: OpenAI.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string', maxLength: 12 } },
      required: ['city'],
    },
  },
};

/** Milliseconds from sending a streamed request to the first delta of the kind asked for. */
async function firstDelta(client: OpenAI, n: number, kind: 'tool' | 'text'): Promise<number> {
  const started = performance.now();
  const stream = await client.chat.completions.create({
    model: 'tools',
    messages: [{ role: 'user', content: `Request ${n}: what is the weather in Paris?` }],
    max_tokens: 48,
    temperature: 0,
    stream: true,
    // The same tools in the prompt both times: only the reply's kind differs.
    tools: [tool],
    tool_choice: kind === 'tool' ? { type: 'function', function: { name: 'get_weather' } } : 'none',
  });
  let at: number | undefined;
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta;
    if (at === undefined && (kind === 'tool' ? delta?.tool_calls?.length : delta?.content))
      at = performance.now() - started;
  }
  if (at === undefined) throw new Error(`no ${kind} delta in reply ${n}`);
  return at;
}

/**
 * Time to the first tool-call delta (a forced call) vs time to the first text token (a plain
 * reply), streamed through /v1/chat/completions on the same model, paired: the call's first
 * delta waits for the call prefix and the function name, which the grammar writes.
 */
export async function toolCallBench(ctx: BenchContext, dir: string): Promise<Record<string, unknown>> {
  const modelPath = join(dir, 'tools-bench.gguf');
  cachedFile(modelPath, (temp) => writeLlamaModel(temp, { shape, seed: 7, chatTemplate: qwenToolsTemplate }));
  const { app, client, close } = await startApiApp(join(dir, 'data-tools'), 1);
  await placeModel(app, modelPath, 'tools.gguf', { threads, contextSize });
  ctx.progress('tools: time to the first tool-call delta vs the first text token, paired');
  try {
    await firstDelta(client, 0, 'text');
    await firstDelta(client, 0, 'tool');
    const pairs: Array<{ toolMs: number; textMs: number }> = [];
    for (let rep = 1; rep <= reps; rep++) {
      // Alternate which goes first, so a warming or throttling machine favours neither.
      const toolFirst = rep % 2 === 1;
      const a = await firstDelta(client, rep, toolFirst ? 'tool' : 'text');
      const b = await firstDelta(client, rep, toolFirst ? 'text' : 'tool');
      const pair = toolFirst ? { toolMs: a, textMs: b } : { toolMs: b, textMs: a };
      pairs.push(pair);
      ctx.progress(
        `rep ${rep}: first tool delta ${pair.toolMs.toFixed(0)} ms, first text ${pair.textMs.toFixed(0)} ms`,
      );
    }
    const ratios = pairs.map((p) => p.toolMs / p.textMs);
    return {
      target:
        'time to the first tool-call delta vs time to the first text token, same model and prompt (paired), reported',
      model: `${shape.name}: ${shape.layers} layers x ${shape.embedding}, Q8_0, Qwen 2.5 tool template, ${threads} threads`,
      summary: {
        medianToolFirstDeltaMs: Number(median(pairs.map((p) => p.toolMs)).toFixed(1)),
        medianTextFirstTokenMs: Number(median(pairs.map((p) => p.textMs)).toFixed(1)),
        medianPairedRatio: Number(median(ratios).toFixed(3)),
        ratioRange: [Number(Math.min(...ratios).toFixed(3)), Number(Math.max(...ratios).toFixed(3))],
      },
      pairs,
    };
  } finally {
    await close();
  }
}

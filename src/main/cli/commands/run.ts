import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { ChatMessage, Sampling } from '../../engine-process/protocol';
import type { EventPayload, RouteOutput } from '../../../shared/contract';
import { call, openCliApp, type CliContext } from '../cli-app';
import { findModel } from './models';

export interface RunOptions {
  verbose?: boolean;
  system?: string;
  temperature?: number;
  ctx?: number;
  force?: boolean;
  dataDir?: string;
}

type ChatResult = RouteOutput<'engine.chat'>;

function describeStats(result: ChatResult): string {
  const s = result.stats;
  return [
    `time to first token: ${s.timeToFirstTokenMs.toFixed(0)} ms`,
    `prompt: ${s.promptTokens} tokens, ${s.promptTokensPerSecond.toFixed(1)} tokens/s`,
    `reply: ${s.generatedTokens} tokens, ${s.generationTokensPerSecond.toFixed(1)} tokens/s`,
    `stopped by: ${result.stopReason}`,
  ].join('\n');
}

const help = `Commands:
  /set temperature <0-5>   /set top_p <0-1>   /set top_k <n>   /set seed <n>   /set max_tokens <n>
  /set system <text>       set the system prompt (clears the conversation)
  /clear                   forget the conversation
  /bye                     quit (or Ctrl-D)
Ctrl-C stops a reply and keeps what was written.`;

/** `hearth run <model> [prompt]`: an interactive chat in the terminal, or one answer when a prompt is given or piped. */
export async function runCommand(
  context: CliContext,
  ref: string,
  prompt: string | undefined,
  options: RunOptions,
): Promise<void> {
  const app = openCliApp(context, options.dataDir);
  const sampling: Sampling = { temperature: options.temperature ?? 0.7, maxTokens: 2048, stop: [] };
  let system = options.system;
  let history: ChatMessage[] = [];
  let current: string | undefined;

  const offChunks = app.events.subscribe((name, payload) => {
    if (name !== 'engine.chunk') return;
    const chunk = payload as EventPayload<'engine.chunk'>;
    if (chunk.requestId !== current) return;
    if (chunk.segment === 'text') process.stdout.write(chunk.text);
    else if (options.verbose) process.stderr.write(chunk.text);
  });

  async function ask(text: string): Promise<ChatResult> {
    current = randomUUID();
    const messages: ChatMessage[] = [
      ...(system ? [{ role: 'system' as const, content: system }] : []),
      ...history,
      { role: 'user', content: text },
    ];
    try {
      const result = await call<ChatResult>(app, 'engine.chat', { requestId: current, messages, sampling });
      history = [...history, { role: 'user', content: text }, { role: 'assistant', content: result.text }];
      process.stdout.write('\n');
      if (result.notice) process.stderr.write(`(${result.notice})\n`);
      if (options.verbose) process.stderr.write(`${describeStats(result)}\n`);
      return result;
    } finally {
      current = undefined;
    }
  }

  try {
    const model = await findModel(app, ref);
    process.stderr.write(`Loading ${model.name}…\n`);
    await call(app, 'engine.load', { modelId: model.id, contextSize: options.ctx, force: options.force });

    const piped = !process.stdin.isTTY;
    if (prompt !== undefined || piped) {
      let text = prompt ?? '';
      if (!prompt) for await (const chunk of process.stdin) text += String(chunk);
      if (!text.trim()) throw new Error('Nothing to ask: give a prompt or pipe one in');
      await ask(text.trim());
      return;
    }

    process.stderr.write('Type a message, /? for help, /bye to quit.\n');
    const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: '>>> ' });
    let closed = false;
    rl.on('close', () => (closed = true));
    rl.on('SIGINT', () => {
      if (current) void call(app, 'engine.stop', { requestId: current });
      else {
        process.stdout.write('\nUse Ctrl-D or /bye to exit.\n');
        rl.prompt();
      }
    });
    rl.prompt();
    for await (const line of rl) {
      const input = line.trim();
      if (input === '/bye') break;
      if (input === '/?' || input === '/help') console.log(help);
      else if (input === '/clear') {
        history = [];
        console.log('Cleared the conversation.');
      } else if (input.startsWith('/set ')) {
        const [, key = '', ...rest] = input.split(/\s+/);
        const value = rest.join(' ');
        const number = Number(value);
        const numeric: Record<string, keyof Sampling> = {
          temperature: 'temperature',
          top_p: 'topP',
          top_k: 'topK',
          seed: 'seed',
          max_tokens: 'maxTokens',
        };
        if (key === 'system') {
          system = value || undefined;
          history = [];
          console.log('Set the system prompt (and cleared the conversation).');
        } else if (numeric[key] && value !== '' && Number.isFinite(number)) {
          Object.assign(sampling, { [numeric[key]]: number });
          console.log(`Set ${key} to ${number}.`);
        } else console.log(`Unknown setting "${input}". /? lists them.`);
      } else if (input.startsWith('/')) console.log(`Unknown command ${input}. /? lists them.`);
      else if (input) {
        try {
          await ask(input);
        } catch (error) {
          process.stderr.write(`Error: ${(error as Error).message}\n`);
        }
      }
      if (closed) break;
      rl.prompt();
    }
    rl.close();
  } finally {
    offChunks();
    await app.close();
  }
}

import { randomUUID } from 'node:crypto';
import type { Sampling } from '../../engine-process/protocol';
import type { EventPayload, RouteOutput } from '../../../shared/contract';
import { chatRepl, ReplConversation } from '../chat-repl';
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

/** `hearth run <model> [prompt]`: an interactive chat in the terminal, or one answer when a prompt is given or piped. */
export async function runCommand(
  context: CliContext,
  ref: string,
  prompt: string | undefined,
  options: RunOptions,
): Promise<void> {
  const app = openCliApp(context, options.dataDir);
  const sampling: Sampling = { temperature: options.temperature ?? 0.7, maxTokens: 2048, stop: [] };
  const conversation = new ReplConversation(sampling, options.system);
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
    const messages = conversation.messages(text);
    try {
      const result = await call<ChatResult>(app, 'engine.chat', { requestId: current, messages, sampling });
      conversation.remember(text, result.text);
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
    await chatRepl(conversation, ask, () => {
      const id = current;
      if (id) void call(app, 'engine.stop', { requestId: id });
      return id !== undefined;
    });
  } finally {
    offChunks();
    await app.close();
  }
}

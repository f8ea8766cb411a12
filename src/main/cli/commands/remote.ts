import type { RemoteProviderKind } from '../../../shared/contract';
import type { ChatResult, Sampling } from '../../engine-process/protocol';
import { clientFor, detectKind } from '../../services/providers/client-factory';
import type { ProviderClient, RemoteModel } from '../../services/providers/provider-types';
import { normalizeBaseUrl } from '../../services/providers/provider-url';
import { safeText } from '../../../shared/domain/safe-text';
import { chatRepl, ReplConversation } from '../chat-repl';

export interface RemoteOptions {
  remote: string;
  key?: string;
  kind?: RemoteProviderKind;
  json?: boolean;
  verbose?: boolean;
  system?: string;
  temperature?: number;
}

/** The server's client: its dialect as told, or as its /api/version says. */
async function connect(
  options: RemoteOptions,
): Promise<{ client: ProviderClient; kind: RemoteProviderKind }> {
  const baseUrl = normalizeBaseUrl(options.remote);
  const key = options.key ?? process.env.HEARTH_REMOTE_KEY ?? null;
  const kind = options.kind ?? (await detectKind({ baseUrl, key }));
  return { client: clientFor(kind, { baseUrl, key }), kind };
}

const pad = (rows: string[][]): string => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
};

/** Remote names are hostile text: no control characters or bidi tricks reach the terminal. */
const shown = (text: string): string => safeText(text, 500);

/** `hearth list --remote <url>`: the models another Hearth, Ollama or OpenAI-compatible server offers. */
export async function remoteListCommand(options: RemoteOptions): Promise<void> {
  const { client, kind } = await connect(options);
  const models = await client.models();
  if (options.json) return console.log(JSON.stringify({ kind, models }, null, 2));
  if (models.length === 0) return console.log(`No models on ${options.remote} (${kind}).`);
  console.log(
    pad([
      ['MODEL', 'CONTEXT', 'DETAILS'],
      ...models.map((m) => [
        shown(m.id),
        m.contextLength ? String(m.contextLength) : '?',
        shown(m.details ?? ''),
      ]),
    ]),
  );
}

/** The model as the server names it: exact, or the one whose name contains `ref`. */
function pick(models: RemoteModel[], ref: string): string {
  if (models.some((m) => m.id === ref)) return ref;
  const matches = models.filter((m) => m.id.toLowerCase().includes(ref.toLowerCase()));
  if (matches.length === 1) return matches[0]!.id;
  if (matches.length > 1)
    throw new Error(
      `"${ref}" matches ${matches.length} models: ${matches.map((m) => shown(m.id)).join(', ')}`,
    );
  throw new Error(`No model "${ref}" on that server; hearth list --remote shows them`);
}

/** `hearth run --remote <url> <model> [prompt]`: chat with a model of another machine, streamed here. */
export async function remoteRunCommand(
  ref: string,
  prompt: string | undefined,
  options: RemoteOptions,
): Promise<void> {
  const { client } = await connect(options);
  const model = pick(await client.models(), ref);
  const sampling: Sampling = { temperature: options.temperature ?? 0.7, maxTokens: 2048, stop: [] };
  const conversation = new ReplConversation(sampling, options.system);
  let current: AbortController | undefined;

  async function ask(text: string): Promise<ChatResult> {
    current = new AbortController();
    const messages = conversation.messages(text);
    try {
      const result = await client.chat(
        { model, messages, sampling },
        (chunk, segment) => {
          if (segment === 'text') process.stdout.write(chunk);
          else if (options.verbose) process.stderr.write(chunk);
        },
        current.signal,
      );
      conversation.remember(text, result.text);
      process.stdout.write('\n');
      if (result.notice) process.stderr.write(`(${result.notice})\n`);
      if (options.verbose)
        process.stderr.write(
          `time to first token: ${result.stats.timeToFirstTokenMs} ms\nreply: ${result.stats.generatedTokens} tokens, ${result.stats.generationTokensPerSecond.toFixed(1)} tokens/s\nstopped by: ${result.stopReason}\n`,
        );
      return result;
    } finally {
      current = undefined;
    }
  }

  const piped = !process.stdin.isTTY;
  if (prompt !== undefined || piped) {
    let text = prompt ?? '';
    if (!prompt) for await (const chunk of process.stdin) text += String(chunk);
    if (!text.trim()) throw new Error('Nothing to ask: give a prompt or pipe one in');
    // Ctrl-C stops the reply (the request is aborted) and keeps what was written.
    const onSigint = (): void => current?.abort();
    process.on('SIGINT', onSigint);
    try {
      await ask(text.trim());
    } finally {
      process.off('SIGINT', onSigint);
    }
    return;
  }

  process.stderr.write(
    `Chatting with ${shown(model)} on ${options.remote}. Type a message, /? for help, /bye to quit.\n`,
  );
  await chatRepl(conversation, ask, () => {
    const reply = current;
    reply?.abort();
    return reply !== undefined;
  });
}

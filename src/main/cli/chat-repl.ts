import { createInterface } from 'node:readline';
import type { ChatMessage, Sampling } from '../engine-process/protocol';

export const replHelp = `Commands:
  /set temperature <0-5>   /set top_p <0-1>   /set top_k <n>   /set seed <n>   /set max_tokens <n>
  /set system <text>       set the system prompt (clears the conversation)
  /clear                   forget the conversation
  /bye                     quit (or Ctrl-D)
Ctrl-C stops a reply and keeps what was written.`;

const numericSettings: Record<string, keyof Sampling> = {
  temperature: 'temperature',
  top_p: 'topP',
  top_k: 'topK',
  seed: 'seed',
  max_tokens: 'maxTokens',
};

/** A terminal conversation: its history and settings, as /set and /clear change them. */
export class ReplConversation {
  private history: ChatMessage[] = [];

  constructor(
    readonly sampling: Sampling,
    private system?: string,
  ) {}

  /** What the model is sent for the next question. */
  messages(text: string): ChatMessage[] {
    return [
      ...(this.system ? [{ role: 'system' as const, content: this.system }] : []),
      ...this.history,
      { role: 'user', content: text },
    ];
  }

  /** A question and the reply it got (a stopped reply counts as written so far). */
  remember(text: string, reply: string): void {
    this.history = [...this.history, { role: 'user', content: text }, { role: 'assistant', content: reply }];
  }

  /** Applies a slash command and says what it did; an unknown one is told, not sent to the model. */
  command(input: string): string {
    if (input === '/?' || input === '/help') return replHelp;
    if (input === '/clear') {
      this.history = [];
      return 'Cleared the conversation.';
    }
    if (!input.startsWith('/set ')) return `Unknown command ${input}. /? lists them.`;
    const [, key = '', ...rest] = input.split(/\s+/);
    const value = rest.join(' ');
    if (key === 'system') {
      this.system = value || undefined;
      this.history = [];
      return 'Set the system prompt (and cleared the conversation).';
    }
    const setting = numericSettings[key];
    const number = Number(value);
    if (!setting || value === '' || !Number.isFinite(number))
      return `Unknown setting "${input}". /? lists them.`;
    Object.assign(this.sampling, { [setting]: number });
    return `Set ${key} to ${number}.`;
  }
}

/**
 * Reads lines until /bye or Ctrl-D: slash commands change the conversation, other lines are asked.
 * Ctrl-C stops the reply in progress (`stop` answers false when there is none) and never quits.
 */
export async function chatRepl(
  conversation: ReplConversation,
  ask: (text: string) => Promise<unknown>,
  stop: () => boolean,
): Promise<void> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: '>>> ' });
  let closed = false;
  rl.on('close', () => (closed = true));
  rl.on('SIGINT', () => {
    if (stop()) return;
    process.stdout.write('\nUse Ctrl-D or /bye to exit.\n');
    rl.prompt();
  });
  rl.prompt();
  for await (const line of rl) {
    const input = line.trim();
    if (input === '/bye') break;
    if (input.startsWith('/')) console.log(conversation.command(input));
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
}

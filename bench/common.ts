import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createHearthApp, type HearthApp, type HearthAppOptions } from '../src/main/app/hearth-app';
import type { ChatStore, Conversation, Message } from '../src/main/services/chats/chat-store';
import { forkLauncher } from '../src/main/services/engine/fork-launcher';

/** Generated models and builds live outside the repo's tracked files. */
export const benchCacheDir = fileURLToPath(new URL('../.cache/bench/', import.meta.url));
export const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));

export interface BenchContext {
  progress(message: string): void;
}

export function machineInfo(): Record<string, unknown> {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    logicalCores: cpu.length,
    memoryBytes: totalmem(),
    node: process.versions.node,
    platform: process.platform,
    arch: process.arch,
  };
}

/** The whole app, its engine process run from source on the CPU, as `hearth serve` would run it. */
export const benchApp = (dataDir: string, options: Partial<HearthAppOptions> = {}): HearthApp =>
  createHearthApp({
    dataDir,
    runtime: { runtime: 'server', version: 'bench', versions: { node: process.versions.node } },
    engineLauncher: forkLauncher({
      entry: fileURLToPath(new URL('../src/main/engine-process/entry.ts', import.meta.url)),
      execArgv: ['--import', 'tsx'],
      env: { HEARTH_ENGINE_GPU: 'false' },
    }),
    externalRoots: null,
    log: () => {},
    ...options,
  });

/** A question and its reply still streaming, which the UI benches stream tokens into. */
export function streamingConversation(
  store: ChatStore,
  title: string,
): { conversation: Conversation; reply: Message } {
  const conversation = store.createConversation({ title });
  const user = store.addMessage({
    conversationId: conversation.id,
    parentId: null,
    role: 'user',
    content: 'How does a sourdough starter work?',
    status: 'done',
  });
  const reply = store.addMessage({
    conversationId: conversation.id,
    parentId: user.id,
    role: 'assistant',
    content: '',
    status: 'streaming',
  });
  return { conversation, reply };
}

import { ChunkBatcher } from './chunk-batcher';
import type { LlamaEngine } from './llama-engine';
import type { EngineStats, EngineToHost, HostToEngine } from './protocol';

/** Handles host messages inside the engine process; transport-agnostic so it can be tested in-process. */
export class EngineServer {
  private readonly aborts = new Map<number, AbortController>();

  constructor(
    private readonly engine: LlamaEngine,
    private readonly send: (message: EngineToHost) => void,
    private readonly exit: (code: number) => void,
  ) {}

  async handle(message: HostToEngine): Promise<void> {
    switch (message.type) {
      case 'shutdown':
        await this.engine.unload().catch(() => {});
        this.exit(0);
        return;
      case 'abort':
        this.aborts.get(message.target)?.abort();
        return;
      case 'load': {
        const { id, type: _type, ...request } = message;
        const controller = new AbortController();
        this.aborts.set(id, controller);
        try {
          await this.respond(id, () =>
            this.engine.load(
              request,
              (progress) => this.send({ type: 'progress', id, progress }),
              controller.signal,
            ),
          );
        } finally {
          this.aborts.delete(id);
        }
        return;
      }
      case 'unload':
        await this.respond(message.id, () => this.engine.unload().then(() => null));
        return;
      case 'stats': {
        const cpu = process.cpuUsage();
        const stats: EngineStats = {
          ...this.engine.stats(),
          cpuMicros: cpu.user + cpu.system,
          rssBytes: process.memoryUsage.rss(),
        };
        this.send({ type: 'result', id: message.id, value: stats });
        return;
      }
      case 'countTokens': {
        // Rendering and tokenizing are synchronous and take no sequence: replies keep running.
        const { id, type: _type, ...request } = message;
        await this.respond(id, async () => this.engine.tokenCount(request));
        return;
      }
      case 'embed': {
        const { id, type: _type, ...request } = message;
        const controller = new AbortController();
        this.aborts.set(id, controller);
        try {
          await this.respond(id, () => this.engine.embed(request, controller.signal));
        } finally {
          this.aborts.delete(id);
        }
        return;
      }
      case 'chat': {
        const { id, type: _type, ...request } = message;
        const controller = new AbortController();
        this.aborts.set(id, controller);
        const text = new ChunkBatcher((t) => this.send({ type: 'chunk', id, text: t, segment: 'text' }));
        const thought = new ChunkBatcher((t) =>
          this.send({ type: 'chunk', id, text: t, segment: 'thought' }),
        );
        try {
          await this.respond(id, async () => {
            const result = await this.engine.chat(
              request,
              (chunk, segment, call) => {
                if (segment === 'toolCall') {
                  // Call pieces go at once, after any text before them: a client acts on calls.
                  thought.flush();
                  text.flush();
                  this.send({ type: 'chunk', id, text: chunk, segment, call });
                  return;
                }
                // Keep the order: a segment change sends what the other batch holds first.
                (segment === 'thought' ? text : thought).flush();
                (segment === 'thought' ? thought : text).push(chunk);
              },
              controller.signal,
            );
            thought.flush();
            text.flush();
            return result;
          });
        } finally {
          this.aborts.delete(id);
        }
        return;
      }
    }
  }

  private async respond(id: number, work: () => Promise<unknown>): Promise<void> {
    try {
      this.send({ type: 'result', id, value: await work() });
    } catch (error) {
      this.send({
        type: 'error',
        id,
        code: 'ENGINE_ERROR',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

import {
  AppError,
  type EventPayload,
  type RouteOutput,
  type RouteParsedInput,
} from '../../../shared/contract';
import type { Engine } from './engine-pool';

/** Runs chat replies on the engine, streams their chunks as events, and stops them on request. */
export class ChatRunner {
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly engine: Engine,
    private readonly emit: (chunk: EventPayload<'engine.chunk'>) => void,
  ) {}

  async chat(input: RouteParsedInput<'engine.chat'>): Promise<RouteOutput<'engine.chat'>> {
    if (this.running.has(input.requestId))
      throw new AppError('CONFLICT', `A reply with id ${input.requestId} is already running`);
    const controller = new AbortController();
    this.running.set(input.requestId, controller);
    try {
      const result = await this.engine.chat(
        {
          messages: input.messages,
          sampling: input.sampling,
          jsonSchema: input.jsonSchema,
          ignoreEos: input.ignoreEos,
        },
        // No tools are offered here, so no tool-call chunks or stops come back.
        (text, segment) => {
          if (segment !== 'toolCall') this.emit({ requestId: input.requestId, text, segment });
        },
        controller.signal,
      );
      return { ...result, stopReason: result.stopReason === 'toolCalls' ? 'eos' : result.stopReason };
    } finally {
      this.running.delete(input.requestId);
    }
  }

  stop(requestId: string): { stopped: boolean } {
    const controller = this.running.get(requestId);
    controller?.abort();
    return { stopped: controller !== undefined };
  }
}

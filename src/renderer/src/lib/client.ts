import type {
  ErrorCode,
  EventName,
  EventPayload,
  HearthBridge,
  RouteInput,
  RouteName,
  RouteOutput,
} from '../../../shared/contract';

export class HearthError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

type InputArgs<R extends RouteName> =
  undefined extends RouteInput<R> ? [input?: RouteInput<R>] : [input: RouteInput<R>];

/** The typed face of the contract: the renderer never sees which transport is underneath. */
export interface HearthClient {
  invoke<R extends RouteName>(route: R, ...args: InputArgs<R>): Promise<RouteOutput<R>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function createClient(bridge: HearthBridge): HearthClient {
  return {
    async invoke(route, ...args) {
      const result = await bridge.invoke(route, args[0]);
      if (!result.ok) throw new HearthError(result.error.code, result.error.message);
      return result.value as never;
    },
    on(event, listener) {
      return bridge.on((message) => {
        if (message.name === event) listener(message.payload as never);
      });
    },
  };
}

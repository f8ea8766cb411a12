import type { z } from 'zod';
import {
  AppError,
  isRouteName,
  routes,
  type ErrorInfo,
  type Result,
  type RouteName,
  type RouteOutput,
  type RouteParsedInput,
} from '../../shared/contract';

export type Handler<R extends RouteName> = (
  input: RouteParsedInput<R>,
) => Promise<RouteOutput<R>> | RouteOutput<R>;
/** One handler per route; a missing one does not compile. */
export type Handlers = { [R in RouteName]: Handler<R> };

export interface Router {
  invoke(route: string, input: unknown): Promise<Result<unknown>>;
}

export interface RouterOptions {
  /** Told about unexpected failures (the caller only gets a code and a message). */
  onInternalError?: (route: string, error: unknown) => void;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'input'}: ${issue.message}`)
    .join('; ');
}

const fail = (error: ErrorInfo): Result<never> => ({ ok: false, error });

/** Pure dispatch: validate input, call one handler, validate output, map errors to codes. */
export function createRouter(handlers: Handlers, options: RouterOptions = {}): Router {
  return {
    async invoke(name, input) {
      if (typeof name !== 'string' || !isRouteName(name)) {
        return fail({ code: 'UNKNOWN_ROUTE', message: `Unknown route: ${String(name)}` });
      }
      const def = routes[name];
      const parsed = def.input.safeParse(input);
      if (!parsed.success) {
        return fail({
          code: 'BAD_INPUT',
          message: `Invalid input for ${name}: ${describeIssues(parsed.error)}`,
        });
      }
      try {
        const handler = handlers[name] as (input: unknown) => unknown;
        const value = await handler(parsed.data);
        const checked = def.output.safeParse(value);
        if (!checked.success) {
          throw new Error(`Handler for ${name} returned an invalid value: ${describeIssues(checked.error)}`);
        }
        return { ok: true, value: checked.data };
      } catch (error) {
        if (error instanceof AppError) return fail({ code: error.code, message: error.message });
        options.onInternalError?.(name, error);
        const message = error instanceof Error ? error.message : String(error);
        return fail({ code: 'INTERNAL', message });
      }
    },
  };
}

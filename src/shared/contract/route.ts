import type { z } from 'zod';

/** One request route: what it takes and what it gives back, both validated at the boundary. */
export interface RouteDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
}

export const route = <I extends z.ZodType, O extends z.ZodType>(def: RouteDef<I, O>): RouteDef<I, O> => def;

export type RouteMap = Record<string, RouteDef>;
export type EventMap = Record<string, z.ZodType>;

import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { readBody } from '../bindings/web-body';
import { ApiError } from './api-error';

/** Deeper JSON than this is no request any client sends: refused before validation walks it. */
const maxDepth = 32;

function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > maxDepth) return deepest;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** "messages.0.content: expected string": the field first, so the client knows what to fix. */
function describeIssues(error: z.ZodError): { message: string; param: string | null } {
  const first = error.issues[0];
  const param = first && first.path.length > 0 ? first.path.map(String).join('.') : null;
  const message = error.issues
    .slice(0, 3)
    .map((issue) =>
      issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message,
    )
    .join('; ');
  return { message, param };
}

/** A request body as JSON, validated: 413 over the limit, 400 naming the field otherwise. */
export async function readJson<S extends z.ZodType>(
  req: IncomingMessage,
  schema: S,
  maxBytes: number,
): Promise<z.output<S>> {
  const text = await readBody(req, maxBytes);
  if (text === undefined)
    throw new ApiError(413, `The request body is over ${maxBytes} bytes`, 'request_too_large');
  let body: unknown;
  try {
    body = text.trim() === '' ? {} : (JSON.parse(text) as unknown);
  } catch (error) {
    throw new ApiError(
      400,
      `The body is not valid JSON: ${error instanceof Error ? error.message : 'parse error'}`,
      'invalid_json',
    );
  }
  if (depthOf(body) > maxDepth)
    throw new ApiError(400, `The body is nested deeper than ${maxDepth} levels`, 'invalid_request');
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const { message, param } = describeIssues(parsed.error);
    throw new ApiError(400, message, 'invalid_request', param);
  }
  return parsed.data;
}

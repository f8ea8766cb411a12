import type { ServerResponse } from 'node:http';
import type { ApiError } from '../api-error';
import { sendError } from '../http-out';

/** The error types Anthropic's API documents (its SDKs pick their error class by HTTP status). */
export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error';

/** HTTP status Anthropic uses when it is overloaded; its clients wait and retry on it. */
const overloadedStatus = 529;

/** Hearth's error as Anthropic would have answered it: the status, and the type that goes with it. */
export function anthropicStatus(error: ApiError): { status: number; type: AnthropicErrorType } {
  // Every slot busy and the queue full: what Anthropic calls overloaded, retried after Retry-After.
  if (error.code === 'engine_overloaded') return { status: overloadedStatus, type: 'overloaded_error' };
  const status = error.status;
  if (status === 401) return { status, type: 'authentication_error' };
  if (status === 403) return { status, type: 'permission_error' };
  if (status === 404) return { status, type: 'not_found_error' };
  if (status === 413) return { status, type: 'request_too_large' };
  if (status === 429) return { status, type: 'rate_limit_error' };
  if (status >= 500) return { status, type: 'api_error' };
  return { status, type: 'invalid_request_error' };
}

/** The error object, as a body and as a stream's `error` event alike. */
export function anthropicErrorBody(error: ApiError): {
  type: 'error';
  error: { type: AnthropicErrorType; message: string };
} {
  return { type: 'error', error: { type: anthropicStatus(error).type, message: error.message } };
}

/** Anthropic's error shape: {type: "error", error: {type, message}}, with Retry-After when it applies. */
export function writeAnthropicError(
  res: ServerResponse,
  error: ApiError,
  headers: Record<string, string>,
): void {
  sendError(res, anthropicStatus(error).status, anthropicErrorBody(error), error, headers);
}

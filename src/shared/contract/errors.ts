/** Error codes that cross the boundary; a message goes with each, never a stack. */
export const errorCodes = [
  'BAD_INPUT',
  'UNKNOWN_ROUTE',
  'NOT_FOUND',
  'FORBIDDEN',
  /** Too many wrong keys from one client: wait for Retry-After. */
  'RATE_LIMITED',
  /** A request body over the server's limit. */
  'TOO_LARGE',
  'CONFLICT',
  'INVALID_MODEL',
  'DISK_FULL',
  'NETWORK',
  'CANCELLED',
  'INTERNAL',
  'ENGINE_CRASHED',
  'ENGINE_TIMEOUT',
  'ENGINE_STOPPED',
  'ENGINE_ERROR',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** Thrown by services for failures the user should read; anything else becomes INTERNAL. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const isErrorCode = (value: unknown): value is ErrorCode =>
  typeof value === 'string' && (errorCodes as readonly string[]).includes(value);

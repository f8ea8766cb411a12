import { AppError, type ErrorCode } from '../../shared/contract';

/** A failure with its HTTP status, written by each dialect in its own shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** OpenAI's machine-readable code (model_not_found, engine_overloaded…). */
    readonly code: string,
    /** The request field at fault, when one is. */
    readonly param: string | null = null,
    /** Seconds a client should wait before trying again (503, 429). */
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The client went away: nothing is written, the work is dropped. */
export class ClientGone extends Error {
  constructor() {
    super('The client closed the connection');
    this.name = 'ClientGone';
  }
}

const appStatus: Partial<Record<ErrorCode, [number, string]>> = {
  BAD_INPUT: [400, 'invalid_request'],
  NOT_FOUND: [404, 'model_not_found'],
  FORBIDDEN: [403, 'forbidden'],
  RATE_LIMITED: [429, 'rate_limited'],
  TOO_LARGE: [413, 'request_too_large'],
  // The loader's "does not fit" (with the estimator's numbers): retrying will not help.
  CONFLICT: [400, 'model_does_not_fit'],
  INVALID_MODEL: [400, 'invalid_model'],
  DISK_FULL: [507, 'disk_full'],
  NETWORK: [502, 'network_error'],
  CANCELLED: [499, 'cancelled'],
  ENGINE_CRASHED: [503, 'engine_crashed'],
  ENGINE_TIMEOUT: [504, 'engine_timeout'],
  ENGINE_STOPPED: [503, 'engine_stopped'],
  ENGINE_ERROR: [500, 'engine_error'],
};

/** Any failure as an ApiError; unexpected ones keep a plain message, never a stack. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof AppError) {
    const [status, code] = appStatus[error.code] ?? [500, 'internal_error'];
    return new ApiError(status, error.message, code);
  }
  return new ApiError(500, error instanceof Error ? error.message : 'Internal error', 'internal_error');
}

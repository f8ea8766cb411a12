export type RemoteErrorKind =
  'timeout' | 'unreachable' | 'status' | 'too-large' | 'redirect' | 'protocol' | 'aborted';

/** A failure talking to a remote, with a message a person can act on. */
export class RemoteError extends Error {
  constructor(
    readonly kind: RemoteErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RemoteError';
  }
}

/** The message a server put in its error body: OpenAI, vLLM, llama-server and Ollama shapes. */
export function errorMessageOf(body: string | unknown): string | null {
  let value: unknown = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body) as unknown;
    } catch {
      return null;
    }
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const inner = record.error;
  if (typeof inner === 'string') return inner; // Ollama: {"error": "..."}
  if (typeof inner === 'object' && inner !== null) {
    const message = (inner as Record<string, unknown>).message;
    if (typeof message === 'string') return message; // OpenAI, llama-server, newer vLLM
  }
  // vLLM's ErrorResponse: {"object": "error", "message", "type", "param", "code"}
  if (record.object === 'error' && typeof record.message === 'string') return record.message;
  if (typeof record.detail === 'string') return record.detail; // FastAPI's default
  return null;
}

export const clip = (text: string, max = 300): string =>
  text.length > max ? `${text.slice(0, max)}…` : text;

/** A socket or parser error as a reason a person can act on. */
export function describeNetworkError(error: NodeJS.ErrnoException, maxHeaderBytes: number): RemoteError {
  if (error instanceof RemoteError) return error;
  const code = error.code ?? '';
  if (code === 'HPE_HEADER_OVERFLOW')
    return new RemoteError('too-large', `it sent headers over ${maxHeaderBytes} bytes`);
  if (code.startsWith('HPE_'))
    return new RemoteError('protocol', `it answered something that is not HTTP (${code})`);
  if (code === 'ECONNREFUSED') return new RemoteError('unreachable', 'connection refused');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new RemoteError('unreachable', 'host name not found');
  if (code === 'ECONNRESET' || code === 'EPIPE') return new RemoteError('unreachable', 'connection lost');
  if (
    code.startsWith('ERR_TLS') ||
    code.startsWith('ERR_SSL') ||
    code.includes('CERT') ||
    code.startsWith('UNABLE_TO_')
  )
    return new RemoteError('unreachable', `its TLS certificate is not trusted (${code})`);
  return new RemoteError('unreachable', error.message || code || 'network error');
}

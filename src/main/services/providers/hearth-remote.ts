import type { z } from 'zod';
import { AppError } from '../../../shared/contract/errors';
import type { MachineSample } from '../../../shared/contract/provider-insight';
import { metricsLimits, MetricsFormatError, parseMetricsLines, sampleFromMetrics } from './metrics-text';
import { quickLimits, remoteRequest, RemoteError, type RemoteLimits } from './remote-http';

/** Another Hearth, as its provider entry knows it. */
export interface HearthEndpoint {
  baseUrl: string;
  key: string | null;
}

/** A contract answer over HTTP: `{ ok, value }` or `{ ok: false, error: { code, message } }`. */
function unwrap(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || typeof (body as { ok?: unknown }).ok !== 'boolean')
    throw new RemoteError('protocol', 'it does not answer as Hearth does (no result envelope)');
  const result = body as { ok: boolean; value?: unknown; error?: { message?: unknown } };
  if (result.ok) return result.value;
  const message = typeof result.error?.message === 'string' ? result.error.message.slice(0, 300) : 'failed';
  throw new RemoteError('status', message);
}

/** A path under the base URL (which may itself have a path, behind a reverse proxy). */
const at = (endpoint: HearthEndpoint, path: string): URL =>
  new URL(`${endpoint.baseUrl.replace(/\/+$/, '')}${path}`);

const headers = (endpoint: HearthEndpoint): Record<string, string> =>
  endpoint.key ? { Authorization: `Bearer ${endpoint.key}` } : {};

const metricsTimeoutMs = 20_000;

const limits: Partial<RemoteLimits> = { ...quickLimits, maxJsonBytes: 4 * 1024 * 1024 };

/**
 * Runs one route of another Hearth through its web binding (POST /api/invoke with the LAN key) and
 * checks the answer against `schema`: a wrong type becomes an error naming the field.
 */
export async function invokeRemote<S extends z.ZodType>(
  endpoint: HearthEndpoint,
  route: string,
  input: unknown,
  schema: S,
  signal?: AbortSignal,
): Promise<z.output<S>> {
  const response = await remoteRequest({
    url: at(endpoint, '/api/invoke'),
    method: 'POST',
    headers: headers(endpoint),
    body: JSON.stringify({ route, input }),
    limits,
    signal,
  });
  const value = unwrap(await response.json());
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'the answer';
    throw new RemoteError(
      'protocol',
      `its ${route} answer is malformed (${where}: ${issue?.message ?? 'invalid'})`,
    );
  }
  return parsed.data as z.output<S>;
}

/**
 * Its monitor's latest reading, from GET /metrics (Prometheus text): read line by line within a
 * line and size cap, parsed strictly. A first scrape may wait for the remote's first sample.
 */
export async function readRemoteMetrics(
  endpoint: HearthEndpoint,
  now: () => number,
  signal?: AbortSignal,
): Promise<MachineSample | null> {
  // Lines have only an idle timeout: a remote trickling a byte a second is cut off here.
  const overall = AbortSignal.timeout(metricsTimeoutMs);
  try {
    const response = await remoteRequest({
      url: at(endpoint, '/metrics'),
      headers: { ...headers(endpoint), Accept: 'text/plain' },
      limits: {
        ...quickLimits,
        maxLineBytes: metricsLimits.maxLineBytes,
        maxStreamBytes: metricsLimits.maxBytes,
      },
      signal: signal ? AbortSignal.any([overall, signal]) : overall,
    });
    const type = String(response.headers['content-type'] ?? '');
    if (!type.startsWith('text/plain')) {
      response.close();
      throw new RemoteError(
        'protocol',
        `its /metrics is not Prometheus text (${type.slice(0, 60) || 'no content type'})`,
      );
    }
    const lines: string[] = [];
    for await (const line of response.lines()) lines.push(line);
    return sampleFromMetrics(parseMetricsLines(lines), now());
  } catch (error) {
    if (overall.aborted && !signal?.aborted)
      throw new RemoteError('timeout', `its /metrics took over ${metricsTimeoutMs / 1000} s`);
    throw error;
  }
}

/** What a person reads when another machine could not be read. */
export function describeRemoteFailure(error: unknown): string {
  if (error instanceof RemoteError || error instanceof MetricsFormatError || error instanceof AppError)
    return error.message;
  return error instanceof Error ? error.message : String(error);
}

import { describe, expect, it } from 'vitest';
import { serverStatusSchema } from '../../../../src/shared/contract';
import { RequestLog } from '../../../../src/main/api/request-log';
import { localApiBase, ServerState } from '../../../../src/main/api/server-state';

describe('ServerState', () => {
  const entry = {
    at: 1,
    client: '127.0.0.1',
    endpoint: '/v1/chat/completions',
    model: 'tiny',
    status: 200,
    promptTokens: 5,
    completionTokens: 3,
    tokensPerSecond: 30,
    durationMs: 100,
  };

  it('is off until the binding reports where it listens, and never carries a key', () => {
    const state = new ServerState({
      log: new RequestLog(),
      controlledBy: 'command-line',
      allowedOrigins: () => ['http://localhost:3000'],
      adminKeySet: true,
    });
    expect(state.status()).toMatchObject({ running: false, baseUrl: null, port: null, keySet: false });
    state.started({
      host: '0.0.0.0',
      port: 8080,
      lanSharing: true,
      lanUrls: ['http://10.0.0.2:8080/v1'],
      keySet: true,
    });
    const status = serverStatusSchema.parse(state.status());
    expect(status).toEqual({
      running: true,
      controlledBy: 'command-line',
      host: '0.0.0.0',
      port: 8080,
      baseUrl: 'http://127.0.0.1:8080/v1',
      lanUrls: ['http://10.0.0.2:8080/v1'],
      lanSharing: true,
      allowedOrigins: ['http://localhost:3000'],
      keySet: true,
      adminKeySet: true,
    });
    state.stopped();
    expect(state.status().running).toBe(false);
  });

  it('lists the request log', () => {
    const log = new RequestLog();
    const state = new ServerState({ log, controlledBy: 'app' });
    log.add(entry);
    expect(state.requests()).toEqual([entry]);
  });

  it('names loopback for a wildcard bind and brackets IPv6', () => {
    expect(localApiBase('::', 1)).toBe('http://127.0.0.1:1/v1');
    expect(localApiBase('::1', 2)).toBe('http://[::1]:2/v1');
    expect(localApiBase('127.0.0.1', 3)).toBe('http://127.0.0.1:3/v1');
  });
});

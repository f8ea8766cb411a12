import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, startApiHarness, type ApiHarness } from '../../helpers/api-server';
import { seededRandom as random } from '../../helpers/seeded-random';
import { makeTempDir } from '../../helpers/temp-dir';
import { writeTinyModel } from '../../helpers/tiny-model';

const fieldNames = [
  'model',
  'messages',
  'prompt',
  'role',
  'content',
  'stream',
  'max_tokens',
  'temperature',
  'top_p',
  'seed',
  'stop',
  'n',
  'options',
  'keep_alive',
  'format',
  'stream_options',
  'response_format',
  'raw',
  'system',
  'name',
  'images',
  'num_predict',
  'max_output_tokens',
  'input',
  'instructions',
  'tools',
  'tool_choice',
  'thinking',
  'encoding_format',
  'dimensions',
  'truncate',
  'text',
  '__proto__',
  'constructor',
  'prototype',
];

/** Any JSON value, sometimes huge, sometimes deep, sometimes of the wrong type for its field. */
function value(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 6 ? 6 : 10));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return next() < 0.5;
    case 2:
      return [0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.5, -0.0, 1e-320][Math.floor(next() * 8)];
    case 3:
      return [
        '',
        'tiny-but-not',
        '../../etc/passwd',
        '/dev/zero',
        '\u0000',
        'x'.repeat(5000),
        '5m',
        '-1',
        '{}',
      ][Math.floor(next() * 9)];
    case 4:
      return Math.floor(next() * 1e6) - 5e5;
    case 5:
      return String.fromCharCode(
        ...Array.from({ length: 1 + Math.floor(next() * 20) }, () => Math.floor(next() * 0xffff)),
      );
    case 6:
    case 7:
      return Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth + 1));
    default: {
      const entries = Array.from({ length: Math.floor(next() * 5) }, () => [
        fieldNames[Math.floor(next() * fieldNames.length)]!,
        value(next, depth + 1),
      ]);
      return Object.fromEntries(entries);
    }
  }
}

/** A body that must be refused: a fuzzed object whose model is never one of the library's. */
function body(next: () => number, i: number): string {
  const kind = i % 10;
  if (kind === 0) return '{"model": "tiny", "messages": [' + '['.repeat(100 + i);
  if (kind === 1) return '['.repeat(2000) + ']'.repeat(2000);
  if (kind === 2) return String.fromCharCode(...Array.from({ length: 50 }, () => Math.floor(next() * 256)));
  const object = (value(next, 0) ?? {}) as Record<string, unknown>;
  if (typeof object !== 'object' || Array.isArray(object)) return JSON.stringify(object);
  // Never a library name: whatever else is valid, the model is not found (404) or malformed (400).
  if (next() < 0.8) object.model = next() < 0.5 ? value(next, 5) : `fuzz-${i}`;
  if (typeof object.model === 'string' && /tiny/i.test(object.model)) object.model = `fuzz-${i}`;
  return JSON.stringify(object);
}

const targets = [
  ['POST', '/v1/chat/completions'],
  ['POST', '/v1/completions'],
  ['POST', '/api/chat'],
  ['POST', '/api/generate'],
  ['POST', '/api/show'],
  ['DELETE', '/api/delete'],
  ['POST', '/v1/messages'],
  ['POST', '/v1/messages/count_tokens'],
  ['POST', '/v1/responses'],
  ['POST', '/v1/embeddings'],
  ['POST', '/api/embed'],
  ['POST', '/api/embeddings'],
] as const;

describe('fuzzed request bodies', () => {
  const dir = makeTempDir();
  let api: ApiHarness;

  beforeAll(async () => {
    writeTinyModel(join(dir.path, 'data', 'models'));
    api = await startApiHarness({ dir: dir.path });
  });
  afterAll(async () => {
    await api?.close();
    dir.cleanup();
  });

  it('1,000 bodies across the routes all get a 4xx, and the engine never crashes', async () => {
    const next = random(20_240_601);
    const statuses = new Map<number, number>();
    for (let i = 0; i < 1000; i++) {
      const [method, path] = targets[i % targets.length]!;
      const text = body(next, i);
      const reply = await rawRequest(api.origin, {
        method,
        path,
        headers: { 'Content-Type': 'application/json' },
        body: text,
      });
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      if (reply.status < 400 || reply.status >= 500)
        throw new Error(`${method} ${path} answered ${reply.status} to ${text.slice(0, 300)}: ${reply.body}`);
      // Every refusal says why, in its dialect's shape.
      const parsed = JSON.parse(reply.body) as { error: unknown };
      expect(parsed.error).toBeTruthy();
    }
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([400, 404]));
    expect(api.app.engine.restartCount).toBe(0);
    // Still serving: a real request right after.
    const ok = await rawRequest(api.origin, {
      method: 'POST',
      path: '/api/generate',
      body: JSON.stringify({ model: 'tiny', prompt: 'Hi', stream: false, options: { num_predict: 2 } }),
    });
    expect(ok.status).toBe(200);
    expect(api.app.engine.restartCount).toBe(0);
  });
});

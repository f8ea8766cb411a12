import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, startApiHarness, type ApiHarness } from '../../helpers/api-server';
import { seededRandom as random } from '../../helpers/seeded-random';
import { makeTempDir } from '../../helpers/temp-dir';
import { writeTinyModel } from '../../helpers/tiny-model';
import { qwenToolsTemplate } from '../../fixtures/gguf';

const keys = [
  'model',
  'messages',
  'role',
  'content',
  'type',
  'text',
  'system',
  'max_tokens',
  'stream',
  'tools',
  'tool_choice',
  'name',
  'input_schema',
  'input',
  'id',
  'tool_use_id',
  'is_error',
  'thinking',
  'budget_tokens',
  'signature',
  'stop_sequences',
  'source',
  'output_config',
  'format',
  'schema',
  '__proto__',
  'constructor',
];
const strings = [
  '',
  'user',
  'assistant',
  'system',
  'text',
  'tool_use',
  'tool_result',
  'thinking',
  'image',
  'enabled',
  'disabled',
  'auto',
  'any',
  'tool',
  'none',
  'object',
  '\u0000',
  'x'.repeat(3000),
  '{"a":',
];

/** Any JSON value, biased toward the Messages API's own names so bodies get past the first check. */
function value(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 5 ? 5 : 9));
  if (pick === 0) return null;
  if (pick === 1) return next() < 0.5;
  if (pick === 2) return [0, -1, 1, 1e308, 2 ** 53 + 1, 0.5, 1e-320, 131072][Math.floor(next() * 8)];
  if (pick <= 4) return strings[Math.floor(next() * strings.length)];
  if (pick <= 6) return Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth + 1));
  return Object.fromEntries(
    Array.from({ length: Math.floor(next() * 6) }, () => [
      keys[Math.floor(next() * keys.length)]!,
      value(next, depth + 1),
    ]),
  );
}

/** A body that passes validation: each fuzzed copy breaks or bends a few of its values. */
const valid = {
  model: 'coder',
  max_tokens: 4,
  system: [{ type: 'text', text: 'Be brief.' }],
  messages: [
    { role: 'user', content: [{ type: 'text', text: 'List the files' }] },
    {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'ls', signature: 's' },
        { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } },
      ],
    },
    {
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'a' }] }],
    },
  ],
  tools: [{ name: 'Bash', input_schema: { type: 'object', properties: { command: { type: 'string' } } } }],
  tool_choice: { type: 'auto' },
  thinking: { type: 'enabled', budget_tokens: 8 },
};

/** A deep copy of `node` with about `rate` of its values replaced by fuzz. */
function mutate(node: unknown, next: () => number, rate: number): unknown {
  if (next() < rate) return value(next, 3);
  if (Array.isArray(node)) return node.map((item) => mutate(item, next, rate));
  if (typeof node === 'object' && node !== null)
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, mutate(v, next, rate)]));
  return node;
}

describe('fuzzed Anthropic request bodies', () => {
  const dir = makeTempDir();
  let api: ApiHarness;

  beforeAll(async () => {
    writeTinyModel(join(dir.path, 'data', 'models'), { chatTemplate: qwenToolsTemplate }, 'coder.gguf');
    api = await startApiHarness({ dir: dir.path, app: { hubEndpoint: 'http://127.0.0.1:9' } });
  });
  afterAll(async () => {
    await api?.close();
    dir.cleanup();
  });

  it('answers 400 bodies with a 4xx in Anthropic shape (or a count), and the engine never crashes', async () => {
    const next = random(20_261_201);
    const statuses = new Set<number>();
    for (let i = 0; i < 400; i++) {
      // Replies go to an unknown model (nothing is generated); counts go to the real one, so the
      // fuzzed conversations and tool schemas reach the engine's template rendering.
      const count = i % 2 === 1;
      const path = count ? '/v1/messages/count_tokens' : '/v1/messages';
      const rate = i < 100 ? 0.3 : 0.05;
      const object = Object.fromEntries(Object.entries(valid).map(([k, v]) => [k, mutate(v, next, rate)]));
      if (!count && object.model === 'coder') object.model = `fuzz-${i}`;
      const text = JSON.stringify(object);
      const reply = await rawRequest(api.origin, {
        method: 'POST',
        path,
        headers: { 'Content-Type': 'application/json' },
        body: text,
      });
      statuses.add(reply.status);
      const accepted = count && reply.status === 200;
      if (!accepted && (reply.status < 400 || reply.status >= 500))
        throw new Error(`${path} answered ${reply.status} to ${text.slice(0, 400)}: ${reply.body}`);
      if (!accepted)
        expect(JSON.parse(reply.body)).toMatchObject({ type: 'error', error: { type: expect.any(String) } });
    }
    expect([...statuses].sort()).toEqual([200, 400, 404]);
    expect(api.app.engine.restartCount).toBe(0);
    // Nothing was generated: counts hold no reply.
    expect(api.app.api.log.list()).toEqual([]);
  });
});

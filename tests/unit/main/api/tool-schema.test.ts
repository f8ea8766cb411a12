import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../src/main/api/api-error';
import { toolParametersSchema } from '../../../../src/main/api/tool-schema';

// Shapes of the tool schemas agents send (Claude Code's zod-made ones, Codex's, Cline's).
const webFetch = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: {
    url: { type: 'string', format: 'uri', description: 'The URL to fetch' },
    prompt: { type: 'string', minLength: 1 },
  },
  required: ['url', 'prompt'],
  additionalProperties: false,
};
const read = {
  type: 'object',
  properties: {
    file_path: { type: 'string', pattern: '^/' },
    offset: { type: 'integer', exclusiveMinimum: 0 },
    limit: { type: 'number', minimum: 1, maximum: 2000, multipleOf: 1 },
    mode: { type: 'string', enum: ['text', 'binary'], default: 'text', minLength: 2 },
    lines: { type: 'array', items: { type: 'integer', minimum: 0 }, uniqueItems: true, minItems: 1 },
    meta: { anyOf: [{ type: 'string', pattern: 'x' }, { type: 'null' }] },
  },
  required: ['file_path'],
  additionalProperties: false,
};

const words = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.flatMap(words);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [k, ...words(v)]);
};

describe('tool parameter schemas', () => {
  it("keeps what the grammar enforces from agents' schemas and drops validation-only words", () => {
    const out = toolParametersSchema(webFetch, 'tools.0.input_schema', false);
    expect(out).toEqual({
      type: 'object',
      properties: {
        url: { type: 'string', description: 'The URL to fetch' },
        prompt: { type: 'string', minLength: 1 },
      },
      required: ['url', 'prompt'],
      additionalProperties: false,
    });
    const relaxed = toolParametersSchema(read, 'tools.1.input_schema', false);
    const seen = words(relaxed);
    for (const dropped of ['pattern', 'exclusiveMinimum', 'minimum', 'maximum', 'multipleOf', 'uniqueItems'])
      expect(seen).not.toContain(dropped);
    // Structure stays: required, enums, array bounds, the nullable branch.
    expect(relaxed).toMatchObject({
      required: ['file_path'],
      properties: {
        mode: { enum: ['text', 'binary'] },
        lines: { type: 'array', items: { type: 'integer' }, minItems: 1 },
        meta: { oneOf: [{ type: 'string' }, { type: 'null' }] },
      },
    });
  });

  it('refuses unenforceable words when the tool is strict, naming the path', () => {
    expect(() => toolParametersSchema(read, 'tools.1.function.parameters', true)).toThrow(
      /tools\.1\.function\.parameters\.properties\.file_path\.pattern: "pattern" cannot be enforced/,
    );
  });

  it('still refuses a structure no call could meet, and hostile depth', () => {
    const error = (() => {
      try {
        toolParametersSchema({ properties: { a: { type: 'string' } }, required: ['b'] }, 'p', false);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 5_000; i++) deep = { type: 'array', items: deep };
    expect(() => toolParametersSchema({ properties: { d: deep } }, 'p', false)).toThrow(/deeper than/);
  });
});

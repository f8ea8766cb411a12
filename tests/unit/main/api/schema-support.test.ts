import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../src/main/api/api-error';
import { grammarSchema } from '../../../../src/main/api/schema-support';

const at = 'response_format.json_schema.schema';

function refusal(schema: unknown): ApiError {
  try {
    grammarSchema(schema, at);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error(`accepted: ${JSON.stringify(schema)}`);
}

describe('JSON schemas the grammar can enforce', () => {
  it('refuses each keyword it cannot enforce, naming the keyword and its path', () => {
    const cases: Array<[unknown, string, string]> = [
      [
        { type: 'object', properties: { name: { type: 'string', pattern: '^a' } } },
        'properties.name.pattern',
        'pattern',
      ],
      [{ type: 'integer', minimum: 1 }, 'minimum', 'minimum'],
      [{ type: 'number', exclusiveMaximum: 3 }, 'exclusiveMaximum', 'exclusiveMaximum'],
      [{ type: 'number', multipleOf: 2 }, 'multipleOf', 'multipleOf'],
      [{ type: 'array', items: { type: 'string' }, uniqueItems: true }, 'uniqueItems', 'uniqueItems'],
      [{ type: 'array', contains: { type: 'string' } }, 'contains', 'contains'],
      [{ type: 'object', patternProperties: { '^x': {} } }, 'patternProperties', 'patternProperties'],
      [{ type: 'object', propertyNames: { maxLength: 3 } }, 'propertyNames', 'propertyNames'],
      [{ allOf: [{ type: 'string' }, { maxLength: 3 }] }, 'allOf', 'allOf'],
      [{ not: { type: 'string' } }, 'not', 'not'],
      [{ if: { type: 'string' }, then: { maxLength: 2 } }, 'if', 'if'],
      [{ type: 'string', format: 'email' }, 'format', 'format'],
      [
        { type: 'object', properties: { a: { anyOf: [{ type: 'string', pattern: 'x' }] } } },
        'properties.a.anyOf.0.pattern',
        'pattern',
      ],
      [
        {
          type: 'object',
          properties: { d: { $ref: '#/$defs/D' } },
          $defs: { D: { type: 'integer', maximum: 3 } },
        },
        '$defs.D.maximum',
        'maximum',
      ],
    ];
    for (const [schema, path, keyword] of cases) {
      const error = refusal(schema);
      expect(error.status).toBe(400);
      expect(error.message).toContain(`${at}.${path}: `);
      expect(error.message).toContain(`"${keyword}"`);
    }
  });

  it('refuses what the grammar would get wrong: required but unlisted, impossible bounds, dangling refs', () => {
    expect(refusal({ type: 'object', required: ['x'] }).message).toContain(`${at}.required`);
    expect(refusal({ type: 'string', minLength: 5, maxLength: 2 }).message).toContain('maxLength');
    expect(refusal({ type: 'object', properties: { a: {}, b: {} }, maxProperties: 1 }).message).toContain(
      'maxProperties',
    );
    expect(refusal({ $ref: '#/$defs/Nope' }).message).toContain('names no definition');
    // The converter looks up a reference in its own and its parents' $defs, not a sibling's.
    const sibling = {
      type: 'object',
      properties: {
        a: { type: 'object', properties: { x: { type: 'null' } }, $defs: { A: { type: 'string' } } },
        b: { $ref: '#/$defs/A' },
      },
    };
    expect(refusal(sibling).message).toContain(`${at}.properties.b.$ref`);
    expect(refusal({ type: 'string', enum: ['a', 1] }).message).toContain(`${at}.enum.1`);
    expect(refusal({ type: 'integer', const: 1.5 }).message).toContain(`${at}.const`);
    expect(refusal({ $ref: 'https://example.com/s.json' }).message).toContain(`${at}.$ref`);
    expect(refusal({ type: 'widget' }).message).toContain(`${at}.type`);
    expect(refusal({ enum: [{ a: 1 }] }).message).toContain(`${at}.enum.0`);
    expect(refusal(false).status).toBe(400);
  });

  it('bounds hostile schemas: depth and size', () => {
    let deep: unknown = { type: 'string' };
    for (let i = 0; i < 100; i++) deep = { type: 'array', items: deep };
    expect(refusal(deep).message).toContain('deeper');
    const wide = {
      type: 'object',
      properties: Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`p${i}`, { type: 'null' }])),
    };
    expect(refusal(wide).message).toContain('parts');
  });

  it('follows recursive definitions', () => {
    const tree = {
      $ref: '#/$defs/node',
      $defs: {
        node: {
          type: 'object',
          properties: {
            name: { type: 'string', maxLength: 4 },
            kids: { type: 'array', items: { $ref: '#/$defs/node' }, maxItems: 2 },
          },
        },
      },
    };
    expect(grammarSchema(tree, at)).toMatchObject({
      $ref: '#/$defs/node',
      $defs: { node: { type: 'object' } },
    });
  });

  it('normalizes what it can hold: anyOf, type lists, definitions, annotations, implied types', () => {
    const out = grammarSchema(
      {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        title: 'Reply',
        type: 'object',
        properties: {
          a: { anyOf: [{ type: 'string', maxLength: 4 }, { type: 'null' }], default: null },
          b: { type: ['object', 'null'], properties: { x: { type: 'boolean' } }, required: ['x'] },
          c: { $ref: '#/definitions/C', description: 'a C' },
          d: { allOf: [{ $ref: '#/definitions/C' }] },
          e: { properties: { y: { const: 1 } } },
          f: { type: 'string', format: 'date' },
        },
        required: ['a'],
        additionalProperties: false,
        definitions: { C: { enum: ['x', 1, null] } },
      },
      at,
    );
    expect(out).toEqual({
      $defs: { C: { enum: ['x', 1, null] } },
      type: 'object',
      properties: {
        a: { oneOf: [{ type: 'string', maxLength: 4 }, { type: 'null' }] },
        b: {
          oneOf: [
            { type: 'object', properties: { x: { type: 'boolean' } }, required: ['x'] },
            { type: 'null' },
          ],
        },
        c: { description: 'a C', $ref: '#/$defs/C' },
        d: { $ref: '#/$defs/C' },
        e: { type: 'object', properties: { y: { const: 1 } } },
        f: { type: 'string', format: 'date' },
      },
      required: ['a'],
      additionalProperties: false,
    });
  });
});

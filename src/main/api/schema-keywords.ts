/**
 * The JSON-schema vocabulary of node-llama-cpp's grammar converter (GbnfJsonSchema, see
 * node-llama-cpp/dist/utils/gbnfJson/types.d.ts): what each kind of schema may say, and what
 * describes without constraining. schema-support.ts checks schemas against it.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Schema = { [key: string]: Json };

export const maxDepth = 64;
export const maxNodes = 10_000;

/** Words that describe and never constrain: ignoring them keeps every reply valid. */
export const annotations = new Set([
  '$schema',
  '$id',
  '$comment',
  '$anchor',
  'title',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  // OpenAPI's: null is allowed too; a reply that never uses it still matches.
  'nullable',
  'contentMediaType',
  'contentEncoding',
]);

/** What each kind of schema may say beyond its kind (description and $defs go anywhere). */
export const allowed: Record<string, ReadonlySet<string>> = {
  string: new Set(['minLength', 'maxLength', 'format']),
  number: new Set(),
  integer: new Set(),
  boolean: new Set(),
  null: new Set(),
  object: new Set(['properties', 'required', 'additionalProperties', 'minProperties', 'maxProperties']),
  array: new Set(['items', 'prefixItems', 'minItems', 'maxItems']),
};
export const jsonTypes = Object.keys(allowed);
export const formats = new Set(['date-time', 'date', 'time']);

export const isSchema = (value: Json | undefined): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const isCount = (value: Json | undefined): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0;

/** Any JSON value, in the converter's terms: a scalar, an object of anything, an array of anything. */
export const anyJson = (): Schema => ({
  oneOf: [
    { type: ['string', 'number', 'boolean', 'null'] },
    { type: 'object', additionalProperties: true },
    { type: 'array' },
  ],
});

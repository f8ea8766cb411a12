import { ApiError } from './api-error';
import {
  allowed,
  annotations,
  anyJson,
  formats,
  isCount,
  isSchema,
  jsonTypes,
  maxDepth,
  maxNodes,
  type Json,
  type Schema,
} from './schema-keywords';

/**
 * JSON schemas as node-llama-cpp's grammar can enforce them (its GbnfJsonSchema), checked before
 * anything is generated: a keyword the grammar cannot express is refused with its path, never
 * dropped, so a reply that was asked to match a schema always does. Schemas are hostile input:
 * depth and size are bounded. The schema that comes back is normalized to what the converter
 * reads (anyOf as oneOf, `definitions` as `$defs`, a list of types as one branch per type,
 * annotations dropped).
 */

class SchemaWalk {
  private nodes = 0;
  /** The definitions in scope (this schema's and its parents'), which is where the converter looks. */
  private readonly scopes: Array<ReadonlySet<string>> = [];

  constructor(private readonly param: string) {}

  refuse(path: string, message: string): never {
    throw new ApiError(400, `${path}: ${message}`, 'unsupported_schema', this.param);
  }

  unsupported(path: string, keyword: string): never {
    return this.refuse(
      `${path}.${keyword}`,
      `"${keyword}" cannot be enforced (Hearth holds replies to a schema with a grammar, which cannot express it)`,
    );
  }

  run(schema: Json, path: string): Schema {
    return this.schema(schema, path, 0);
  }

  private schema(input: Json, path: string, depth: number): Schema {
    if (++this.nodes > maxNodes) this.refuse(path, `the schema has more than ${maxNodes} parts`);
    if (depth > maxDepth) this.refuse(path, `the schema nests deeper than ${maxDepth} levels`);
    if (input === true) return anyJson();
    if (!isSchema(input)) this.refuse(path, 'a schema is a JSON object');
    const src: Schema = { ...input };
    const out: Schema = {};
    if (typeof src.description === 'string') out.description = src.description;
    const defs = src.$defs ?? src.definitions;
    if (src.$defs !== undefined && src.definitions !== undefined) this.unsupported(path, 'definitions');
    if (defs === undefined) return this.body(src, out, path, depth);
    const key = src.$defs !== undefined ? '$defs' : 'definitions';
    if (!isSchema(defs)) this.refuse(`${path}.${key}`, 'definitions are an object of schemas');
    // Definitions may refer to each other and to themselves.
    this.scopes.push(new Set(Object.keys(defs)));
    try {
      out.$defs = Object.fromEntries(
        Object.entries(defs).map(([name, def]) => [
          name,
          this.schema(def, `${path}.${key}.${name}`, depth + 1),
        ]),
      );
      return this.body(src, out, path, depth);
    } finally {
      this.scopes.pop();
    }
  }

  private body(src: Schema, out: Schema, path: string, depth: number): Schema {
    delete src.description;
    delete src.$defs;
    delete src.definitions;
    for (const key of Object.keys(src)) if (annotations.has(key)) delete src[key];
    // A one-branch allOf (pydantic's way to describe a $ref) is that branch.
    if (Array.isArray(src.allOf) && src.allOf.length === 1 && isSchema(src.allOf[0])) {
      const [only] = src.allOf;
      delete src.allOf;
      if (Object.keys(src).length > 0) this.unsupported(path, 'allOf');
      return { ...out, ...this.schema(only, `${path}.allOf.0`, depth + 1) };
    }
    if (src.$ref !== undefined) return { ...out, ...this.ref(src, path) };
    if (src.anyOf !== undefined || src.oneOf !== undefined)
      return { ...out, ...this.branches(src, path, depth) };
    if (src.const !== undefined)
      return {
        ...out,
        const: this.literal(src.const, src.type, `${path}.const`),
        ...this.only(src, path, ['const', 'type']),
      };
    if (src.enum !== undefined) {
      if (!Array.isArray(src.enum) || src.enum.length === 0)
        this.refuse(`${path}.enum`, 'enum lists at least one value');
      const values = src.enum.map((v, i) => this.literal(v, src.type, `${path}.enum.${i}`));
      return { ...out, enum: values, ...this.only(src, path, ['enum', 'type']) };
    }
    return { ...out, ...this.typed(src, path, depth) };
  }

  /** Keys beyond `known` are refused: they would sit beside a const, enum or $ref unenforced. */
  private only(src: Schema, path: string, known: string[]): Schema {
    for (const key of Object.keys(src)) if (!known.includes(key)) this.unsupported(path, key);
    return {};
  }

  /** A value to match exactly; beside a type it must be of that type, as the grammar writes it as it is. */
  private literal(value: Json, type: Json | undefined, path: string): string | number | boolean | null {
    if (isSchema(value) || Array.isArray(value))
      this.refuse(path, 'only strings, numbers, booleans and null can be matched exactly');
    const types = type === undefined ? [] : Array.isArray(type) ? type : [type];
    const kind = value === null ? 'null' : typeof value;
    const fits = (t: Json): boolean =>
      t === kind || (t === 'integer' && Number.isInteger(value)) || (t === 'number' && kind === 'number');
    if (types.length > 0 && !types.some(fits))
      this.refuse(path, `${JSON.stringify(value)} is not of the schema's type`);
    return value;
  }

  private ref(src: Schema, path: string): Schema {
    const ref = src.$ref;
    this.only(src, path, ['$ref']);
    const match = typeof ref === 'string' ? /^#\/(?:\$defs|definitions)\/([^/]+)$/.exec(ref) : null;
    if (!match?.[1]) this.refuse(`${path}.$ref`, 'only references to "#/$defs/<name>" can be followed');
    const name = match[1];
    if (!this.scopes.some((scope) => scope.has(name)))
      this.refuse(`${path}.$ref`, `"#/$defs/${name}" names no definition in scope`);
    return { $ref: `#/$defs/${name}` };
  }

  /** anyOf is kept as oneOf: the grammar writes one branch, which satisfies anyOf. */
  private branches(src: Schema, path: string, depth: number): Schema {
    const key = src.oneOf !== undefined ? 'oneOf' : 'anyOf';
    const list = src[key];
    if (src.oneOf !== undefined && src.anyOf !== undefined) this.unsupported(path, 'anyOf');
    this.only(src, path, [key]);
    if (!Array.isArray(list) || list.length === 0)
      this.refuse(`${path}.${key}`, `${key} lists at least one schema`);
    return { oneOf: list.map((branch, i) => this.schema(branch, `${path}.${key}.${i}`, depth + 1)) };
  }

  private typed(src: Schema, path: string, depth: number): Schema {
    let type = src.type;
    // No type: the kind its keywords imply (a schema of nothing at all is any JSON value).
    if (type === undefined) {
      const keys = Object.keys(src);
      type =
        jsonTypes.find((t) => t !== 'number' && keys.some((k) => allowed[t]?.has(k) && k !== 'format')) ??
        null;
      if (type === null) {
        if (keys.length > 0) this.unsupported(path, keys[0]!);
        return anyJson();
      }
    }
    if (Array.isArray(type)) {
      if (type.length === 0 || type.some((t) => typeof t !== 'string' || !jsonTypes.includes(t)))
        this.refuse(`${path}.type`, `a type is one of ${jsonTypes.join(', ')}`);
      if (type.length === 1) return this.typed({ ...src, type: type[0]! }, path, depth);
      // The converter reads a list of types only for scalars: one branch per type, each with the
      // keywords that apply to its type (as JSON schema applies them).
      const types = type as string[];
      for (const key of Object.keys(src))
        if (key !== 'type' && !types.some((t) => allowed[t]?.has(key))) this.unsupported(path, key);
      return {
        oneOf: types.map((t) => {
          const own = Object.entries(src).filter(([key]) => allowed[t]?.has(key));
          return this.typed({ ...Object.fromEntries(own), type: t }, path, depth);
        }),
      };
    }
    if (typeof type !== 'string' || !jsonTypes.includes(type))
      this.refuse(`${path}.type`, `a type is one of ${jsonTypes.join(', ')}`);
    const own = allowed[type] ?? new Set<string>();
    for (const key of Object.keys(src)) if (key !== 'type' && !own.has(key)) this.unsupported(path, key);
    if (type === 'string') return this.string(src, path);
    if (type === 'object') return this.object(src, path, depth);
    if (type === 'array') return this.array(src, path, depth);
    return { type };
  }

  private string(src: Schema, path: string): Schema {
    const { minLength, maxLength, format } = src;
    if (format !== undefined) {
      if (typeof format !== 'string' || !formats.has(format))
        this.refuse(
          `${path}.format`,
          `"format": ${JSON.stringify(format)} cannot be enforced (only date-time, date and time can)`,
        );
      if (minLength !== undefined) this.unsupported(path, 'minLength');
      if (maxLength !== undefined) this.unsupported(path, 'maxLength');
      return { type: 'string', format };
    }
    if (minLength !== undefined && !isCount(minLength))
      this.refuse(`${path}.minLength`, 'a length is a whole number');
    if (maxLength !== undefined && !isCount(maxLength))
      this.refuse(`${path}.maxLength`, 'a length is a whole number');
    if (isCount(minLength) && isCount(maxLength) && maxLength < minLength)
      this.refuse(`${path}.maxLength`, 'maxLength is below minLength');
    return {
      type: 'string',
      ...(minLength !== undefined ? { minLength } : {}),
      ...(maxLength !== undefined ? { maxLength } : {}),
    };
  }

  private object(src: Schema, path: string, depth: number): Schema {
    const out: Schema = { type: 'object' };
    const props = src.properties ?? {};
    if (!isSchema(props)) this.refuse(`${path}.properties`, 'properties is an object of schemas');
    const names = Object.keys(props);
    out.properties = Object.fromEntries(
      names.map((name) => [name, this.schema(props[name]!, `${path}.properties.${name}`, depth + 1)]),
    );
    const required = src.required;
    if (required !== undefined) {
      if (!Array.isArray(required) || required.some((r) => typeof r !== 'string'))
        this.refuse(`${path}.required`, 'required lists property names');
      // The grammar writes every listed property, and only those (or additionalProperties).
      const missing = required.find((r) => typeof r === 'string' && !names.includes(r));
      if (missing !== undefined)
        this.refuse(
          `${path}.required`,
          `"${String(missing)}" is required but not among the properties, so it cannot be written`,
        );
      out.required = required;
    }
    const extra = src.additionalProperties;
    if (extra !== undefined && typeof extra !== 'boolean')
      out.additionalProperties = this.schema(extra, `${path}.additionalProperties`, depth + 1);
    else if (extra !== undefined) out.additionalProperties = extra;
    for (const key of ['minProperties', 'maxProperties'] as const) {
      const value = src[key];
      if (value === undefined) continue;
      if (!isCount(value)) this.refuse(`${path}.${key}`, 'a count is a whole number');
      out[key] = value;
    }
    // Every listed property is always written: a smaller maximum cannot hold.
    if (isCount(src.maxProperties) && src.maxProperties < names.length)
      this.refuse(
        `${path}.maxProperties`,
        'maxProperties is below the number of properties, each of which the reply writes',
      );
    return out;
  }

  private array(src: Schema, path: string, depth: number): Schema {
    const out: Schema = { type: 'array' };
    if (src.items !== undefined) {
      if (Array.isArray(src.items))
        this.refuse(`${path}.items`, 'a list of item schemas is written prefixItems');
      out.items = this.schema(src.items, `${path}.items`, depth + 1);
    }
    if (src.prefixItems !== undefined) {
      if (!Array.isArray(src.prefixItems)) this.refuse(`${path}.prefixItems`, 'prefixItems lists schemas');
      out.prefixItems = src.prefixItems.map((s, i) => this.schema(s, `${path}.prefixItems.${i}`, depth + 1));
    }
    for (const key of ['minItems', 'maxItems'] as const) {
      const value = src[key];
      if (value === undefined) continue;
      if (!isCount(value)) this.refuse(`${path}.${key}`, 'a count is a whole number');
      out[key] = value;
    }
    if (isCount(src.minItems) && isCount(src.maxItems) && src.maxItems < src.minItems)
      this.refuse(`${path}.maxItems`, 'maxItems is below minItems');
    if (Array.isArray(src.prefixItems) && isCount(src.maxItems) && src.maxItems < src.prefixItems.length)
      this.refuse(`${path}.maxItems`, 'maxItems is below the number of prefixItems');
    return out;
  }
}

/**
 * The schema at `path` (a request field, e.g. "response_format.json_schema.schema") as the grammar
 * reads it, or a 400 naming the first part it cannot enforce.
 */
export function grammarSchema(schema: unknown, path: string): Record<string, unknown> {
  return new SchemaWalk(path).run(schema as Json, path);
}

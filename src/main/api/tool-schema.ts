import type { ToolDefinition } from '../engine-process/protocol';
import { ApiError } from './api-error';
import { grammarSchema } from './schema-support';
import { allowed, annotations, formats, isSchema, type Json, type Schema } from './schema-keywords';

/**
 * Tool parameter schemas, as the grammar holds a call's arguments to them.
 *
 * A reply format (response_format, Ollama's format) is refused when the grammar cannot enforce a
 * keyword: the caller asked for replies that always validate. Tool schemas are different: agents
 * such as Claude Code, Codex and Cline send dozens of tools whose schemas carry validation-only
 * words (`format: "uri"`, `minimum`, `pattern`, `exclusiveMinimum`...), and the client checks the
 * arguments itself before it runs a tool. Refusing those would make every agent unusable, so a
 * non-strict tool keeps the structure the grammar can enforce (types, properties, required, enums)
 * and drops the words it cannot. A tool marked `strict: true` (OpenAI's promise that arguments
 * always validate) gets the reply-format rule: refused with the keyword named.
 */
export function toolParametersSchema(
  parameters: Record<string, unknown>,
  path: string,
  strict: boolean,
): Record<string, unknown> {
  const schema = { type: 'object', ...parameters } as Json;
  return grammarSchema(strict ? schema : relax(schema, 0), path);
}

/** Structure words: kept, and the schemas inside them relaxed in turn. */
const structural = new Set([
  'type',
  'description',
  '$ref',
  'const',
  'enum',
  'required',
  '$defs',
  'definitions',
  'anyOf',
  'oneOf',
  'allOf',
  'properties',
  'additionalProperties',
  'items',
  'prefixItems',
]);
const enforceable = new Set(Object.values(allowed).flatMap((words) => [...words]));
/** Deeper than the walk allows: left as is, so the walk refuses it with its path. */
const maxRelaxDepth = 80;

function relax(node: Json, depth: number): Json {
  if (!isSchema(node) || depth > maxRelaxDepth) return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (annotations.has(key)) continue;
    if (key === 'format' && !(typeof value === 'string' && formats.has(value))) continue;
    if (!structural.has(key) && !enforceable.has(key)) continue;
    out[key] = relaxInside(key, value, depth);
  }
  // A string format the grammar writes (date, time) cannot be combined with length bounds there.
  if (out.format !== undefined) {
    delete out.minLength;
    delete out.maxLength;
  }
  // const/enum/$ref stand alone in the grammar: bounds beside them only describe.
  if (out.const !== undefined || out.enum !== undefined || out.$ref !== undefined)
    for (const key of Object.keys(out)) if (!structural.has(key)) delete out[key];
  return out;
}

function relaxInside(key: string, value: Json, depth: number): Json {
  switch (key) {
    case 'properties':
    case '$defs':
    case 'definitions':
      return isSchema(value)
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, relax(v, depth + 1)]))
        : value;
    case 'anyOf':
    case 'oneOf':
    case 'allOf':
    case 'prefixItems':
      return Array.isArray(value) ? value.map((v) => relax(v, depth + 1)) : value;
    case 'items':
    case 'additionalProperties':
      return relax(value, depth + 1);
    default:
      return value;
  }
}

/** A tool as any dialect offers it, before the checks. */
export interface OfferedTool {
  name: string;
  description?: string | null;
  parameters?: Record<string, unknown> | null;
  strict?: boolean | null;
}

/**
 * The offered tools as the engine takes them, checked the same way in every dialect: one tool per
 * name, an object parameters schema, and the schema as the grammar holds it. `paths` names each
 * tool's fields in the dialect's own words, for the 400 that names them.
 */
export function offeredTools(
  tools: readonly OfferedTool[],
  paths: (index: number) => { name: string; parameters: string },
): ToolDefinition[] {
  const seen = new Set<string>();
  return tools.map((tool, i) => {
    const path = paths(i);
    if (seen.has(tool.name)) throw invalid(path.name, `"${tool.name}" is offered twice`);
    seen.add(tool.name);
    const { parameters } = tool;
    // Arguments are an object, so the schema describes one (a missing type means the same).
    if (parameters && parameters.type !== undefined && parameters.type !== 'object')
      throw invalid(path.parameters, 'the parameters schema must have type "object"');
    return {
      name: tool.name,
      description: tool.description ?? undefined,
      parameters: parameters
        ? toolParametersSchema(parameters, path.parameters, tool.strict === true)
        : undefined,
    };
  });
}

const invalid = (param: string, message: string): ApiError =>
  new ApiError(400, `${param}: ${message}`, 'invalid_value', param);

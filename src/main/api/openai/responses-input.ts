import type { z } from 'zod';
import type { ChatMessage, ChatRequest, ToolChoice, ToolDefinition } from '../../engine-process/protocol';
import { ApiError } from '../api-error';
import { grammarSchema } from '../schema-support';
import { offeredTools } from '../tool-schema';
import {
  functionCallItem,
  functionCallOutputItem,
  functionTool,
  messageItem,
  reasoningItem,
  type ContentPart,
  type FunctionToolBody,
  type ResponsesBody,
} from './responses-schema';
import { samplingFrom } from './translate';

const invalid = (param: string, message: string): ApiError =>
  new ApiError(400, `${param}: ${message}`, 'invalid_value', param);

/** One item or tool checked against the schema of its type; the error names the field at fault. */
function parseAs<S extends z.ZodType>(schema: S, value: unknown, param: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = [param, ...(issue?.path.map(String) ?? [])].join('.');
  throw new ApiError(400, `${path}: ${issue?.message ?? 'invalid'}`, 'invalid_request', path);
}

/** Text of a message or tool output: text parts only (images and files are refused by name). */
function textOf(content: string | ContentPart[], param: string): string {
  if (typeof content === 'string') return content;
  return content
    .map((part, i) => {
      if (part.type === 'input_text' || part.type === 'output_text' || part.type === 'text')
        return part.text ?? '';
      if (part.type === 'refusal') return part.refusal ?? '';
      if (part.type === 'input_image')
        throw invalid(`${param}.${i}`, 'images not supported: Hearth runs text models only');
      if (part.type === 'input_file') throw invalid(`${param}.${i}`, 'files not supported: send their text');
      throw invalid(`${param}.${i}`, `content parts of type "${part.type.slice(0, 50)}" are not supported`);
    })
    .join('\n');
}

/** Hearth keeps no responses: items and fields that point at stored state get a 400 saying what to send. */
const stateless = (param: string, what: string): ApiError =>
  invalid(
    param,
    `${what}: Hearth keeps no responses or conversations (store is always false); send the whole conversation in input`,
  );

/**
 * The input items as the engine's messages. A function_call joins the assistant turn before it (one
 * turn may hold text and several calls); a reasoning item is accepted and dropped, so earlier
 * thinking never comes back as answer text.
 */
function messagesFrom(body: ResponsesBody): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (body.instructions) messages.push({ role: 'system', content: body.instructions });
  if (typeof body.input === 'string') return [...messages, { role: 'user', content: body.input }];
  body.input.forEach((raw, i) => {
    const at = `input.${i}`;
    const type = raw.type ?? 'message';
    if (type === 'message') {
      const m = parseAs(messageItem, raw, at);
      const role = m.role === 'developer' ? 'system' : m.role;
      messages.push({ role, content: textOf(m.content, `${at}.content`) });
    } else if (type === 'function_call') {
      const call = parseAs(functionCallItem, raw, at);
      const toolCall = { id: call.call_id, name: call.name, arguments: call.arguments };
      const last = messages.at(-1);
      if (last?.role === 'assistant') last.toolCalls = [...(last.toolCalls ?? []), toolCall];
      else messages.push({ role: 'assistant', content: '', toolCalls: [toolCall] });
    } else if (type === 'function_call_output') {
      const out = parseAs(functionCallOutputItem, raw, at);
      messages.push({ role: 'tool', toolCallId: out.call_id, content: textOf(out.output, `${at}.output`) });
    } else if (type === 'reasoning') {
      parseAs(reasoningItem, raw, at);
    } else if (type === 'item_reference') {
      throw stateless(at, 'item_reference');
    } else {
      throw invalid(`${at}.type`, `input items of type "${type}" are not supported`);
    }
  });
  // A tool result is answered by the model as a user message is.
  const last = messages.at(-1)?.role;
  if (last !== 'user' && last !== 'tool')
    throw invalid('input', 'the last item must be a user message or a function_call_output');
  return messages;
}

/** Function tools only; a built-in (hosted) tool is refused by its type, since nothing here runs it. */
function functionToolsOf(body: ResponsesBody): FunctionToolBody[] {
  return (body.tools ?? []).map((raw, i) => {
    if (raw.type !== 'function')
      throw invalid(
        `tools.${i}.type`,
        `built-in tool "${raw.type}" is not supported: Hearth runs no hosted tools; offer a function tool instead`,
      );
    return parseAs(functionTool, raw, `tools.${i}`);
  });
}

function toolChoiceOf(body: ResponsesBody, tools: ToolDefinition[] | undefined): ToolChoice {
  const choice = body.tool_choice ?? 'auto';
  if (choice === 'auto' || choice === 'none') return choice;
  if (!tools) throw invalid('tool_choice', 'a tool call was asked for, but no tools are offered');
  if (choice === 'required') return choice;
  if (choice.type !== 'function' || typeof choice.name !== 'string')
    throw invalid('tool_choice', `a tool_choice of type "${choice.type}" is not supported`);
  const name = choice.name;
  if (!tools.some((t) => t.name === name)) throw invalid('tool_choice', `no offered tool is named "${name}"`);
  return { name };
}

/**
 * reasoning.effort as a thinking budget for models that think: none skips thinking, minimal and low
 * cap it; medium (OpenAI's default) and above leave it to the model, within max_output_tokens.
 */
const thoughtBudget: Partial<Record<string, number>> = { none: 0, minimal: 256, low: 1024 };

/**
 * Refuses what needs stored state, then translates the request to the engine's one chat request
 * (and the function tools as offered, which the response echoes).
 */
export function responsesRequestFrom(body: ResponsesBody): {
  request: ChatRequest;
  tools: FunctionToolBody[];
} {
  if (body.previous_response_id) throw stateless('previous_response_id', 'previous_response_id');
  if (body.conversation) throw stateless('conversation', 'conversation');
  if (body.prompt) throw invalid('prompt', 'stored prompts are not supported; send instructions and input');
  if (body.background)
    throw invalid('background', 'background responses are not supported (nothing is stored)');
  const offered = functionToolsOf(body);
  const tools: ToolDefinition[] | undefined =
    offered.length === 0
      ? undefined
      : offeredTools(offered, (i) => ({ name: `tools.${i}.name`, parameters: `tools.${i}.parameters` }));
  const toolChoice = toolChoiceOf(body, tools);
  const format = body.text?.format;
  if (tools && format && format.type !== 'text')
    throw invalid('text.format', 'a JSON reply cannot be combined with tools');
  const sampling = samplingFrom(
    {
      temperature: body.temperature,
      top_p: body.top_p,
      seed: body.seed,
      top_k: body.top_k,
      min_p: body.min_p,
      repeat_penalty: body.repeat_penalty,
    },
    body.max_output_tokens,
  );
  const budget = thoughtBudget[body.reasoning?.effort ?? 'medium'];
  const request: ChatRequest = {
    ...(tools ? { tools, toolChoice, parallelToolCalls: body.parallel_tool_calls ?? undefined } : {}),
    messages: messagesFrom(body),
    sampling: budget === undefined ? sampling : { ...sampling, maxThoughtTokens: budget },
    jsonSchema:
      format?.type === 'json_schema'
        ? grammarSchema(format.schema, 'text.format.schema')
        : format?.type === 'json_object'
          ? { type: 'object', additionalProperties: true }
          : undefined,
  };
  return { request, tools: offered };
}

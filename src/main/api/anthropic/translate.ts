import type { LibraryModel } from '../../../shared/contract';
import type { ChatMessage, ChatRequest, Sampling, ToolCall } from '../../engine-process/protocol';
import { ApiError } from '../api-error';
import { grammarSchema } from '../schema-support';
import { assertToolFormat } from '../tool-support';
import type { ContentBlock, ConversationBody, MessageParam, MessagesBody } from './schemas';
import { toolChoiceFrom, toolsFrom } from './tools';

/** Anthropic's documented default when a request names no temperature. */
const defaultTemperature = 1;

const invalid = (param: string, message: string): ApiError =>
  new ApiError(400, `${param}: ${message}`, 'invalid_request', param);

/** What a tool result holds that a text model cannot read: said in its place, so the turn stays whole. */
const omitted = (type: string): string => `[${type} omitted: this model reads text only]`;

type ResultPart = NonNullable<Extract<ContentBlock, { type: 'tool_result' }>['content']>[number];
type SearchResult = Extract<ContentBlock, { type: 'search_result' }>;

const searchResultText = (b: SearchResult): string =>
  [`${b.title} (${b.source})`, ...b.content.map((t) => t.text)].join('\n');

function partText(p: ResultPart): string {
  if (p.type === 'text') return p.text;
  if (p.type === 'search_result') return searchResultText(p);
  if (p.type === 'tool_reference') return `The tool ${p.tool_name} is available.`;
  return omitted(p.type);
}

function toolResultText(content: ResultPart[] | undefined, isError: boolean | undefined): string {
  const text = (content ?? []).map(partText).join('\n');
  // The chat templates have no place for is_error: the model reads it in the result itself.
  return isError ? `Error: ${text}` : text;
}

function refuseBlock(block: ContentBlock, param: string): never {
  if (block.type === 'image') throw invalid(param, 'images are not supported by this model');
  if (block.type === 'document') throw invalid(param, 'documents are not supported: send their text');
  throw invalid(param, `a ${block.type} block does not belong in this message`);
}

/** One Anthropic message as engine messages: a user turn's tool results become tool messages. */
function messagesOf(m: MessageParam, i: number): ChatMessage[] {
  const param = (j: number): string => `messages.${i}.content.${j}`;
  if (m.role === 'system') {
    const texts = m.content.map((b, j) => (b.type === 'text' ? b.text : refuseBlock(b, param(j))));
    return [{ role: 'system', content: texts.join('\n\n') }];
  }
  if (m.role === 'assistant') {
    const texts: string[] = [];
    const calls: ToolCall[] = [];
    m.content.forEach((b, j) => {
      if (b.type === 'text') texts.push(b.text);
      else if (b.type === 'tool_use')
        calls.push({ id: b.id, name: b.name, arguments: JSON.stringify(b.input ?? {}) });
      // Earlier thinking is not rendered again (chat templates drop it), as Anthropic's own models do.
      else if (b.type !== 'thinking' && b.type !== 'redacted_thinking') refuseBlock(b, param(j));
    });
    return [
      { role: 'assistant', content: texts.join(''), ...(calls.length > 0 ? { toolCalls: calls } : {}) },
    ];
  }
  const out: ChatMessage[] = [];
  let texts: string[] = [];
  const flush = (): void => {
    if (texts.length > 0) out.push({ role: 'user', content: texts.join('\n\n') });
    texts = [];
  };
  m.content.forEach((b, j) => {
    if (b.type === 'text') texts.push(b.text);
    else if (b.type === 'search_result') texts.push(searchResultText(b));
    else if (b.type === 'tool_result') {
      flush();
      out.push({ role: 'tool', toolCallId: b.tool_use_id, content: toolResultText(b.content, b.is_error) });
    } else if (b.type !== 'thinking' && b.type !== 'redacted_thinking') refuseBlock(b, param(j));
  });
  flush();
  return out.length > 0 ? out : [{ role: 'user', content: '' }];
}

function systemText(system: ConversationBody['system']): string {
  return (system ?? []).map((b) => b.text).join('\n\n');
}

/**
 * The conversation and tools of a request (or of its token count) as the engine reads them, with
 * the same refusals for both: a count is only useful if it is the count of what a request sends.
 */
export function conversationFrom(
  body: ConversationBody,
  model: LibraryModel,
): Pick<ChatRequest, 'messages' | 'tools' | 'toolChoice' | 'parallelToolCalls'> {
  const tools = toolsFrom(body);
  const choice = toolChoiceFrom(body, tools);
  if (tools && choice.toolChoice !== 'none') assertToolFormat(model, 'tools');
  const system = systemText(body.system);
  const messages: ChatMessage[] = [
    ...(system ? [{ role: 'system' as const, content: system }] : []),
    ...body.messages.flatMap((m, i) => messagesOf(m, i)),
  ];
  const last = messages.at(-1)?.role;
  if (last !== 'user' && last !== 'tool')
    throw invalid(
      'messages',
      'the last message must be from the user (Hearth does not continue a prefilled assistant turn)',
    );
  return { messages, ...(tools ? { tools, ...choice } : {}) };
}

/** thinking: a budget for a reasoning model's thought; disabled asks it to answer at once. */
function thoughtBudget(thinking: MessagesBody['thinking']): number | undefined {
  if (!thinking) return undefined;
  if (thinking.type === 'disabled') return 0;
  if (thinking.type !== 'enabled') return undefined;
  if (thinking.budget_tokens === undefined)
    throw invalid('thinking.budget_tokens', 'a budget is required when thinking is enabled');
  return thinking.budget_tokens;
}

export function samplingFrom(body: MessagesBody): Sampling {
  return {
    temperature: body.temperature ?? defaultTemperature,
    topP: body.top_p,
    // 0 means no top-k cut, as llama.cpp reads it.
    topK: body.top_k,
    // 0 caches the prompt without a reply: the engine writes one token, which is not shown.
    maxTokens: Math.max(1, body.max_tokens),
    // An empty stop string would end every reply at once.
    stop: (body.stop_sequences ?? []).filter((s) => s !== ''),
    maxThoughtTokens: thoughtBudget(body.thinking),
  };
}

export function chatRequestFrom(body: MessagesBody, model: LibraryModel): ChatRequest {
  const conversation = conversationFrom(body, model);
  const format = body.output_config?.format;
  if (format && conversation.tools)
    throw invalid('output_config.format', 'a JSON reply cannot be combined with tools');
  return {
    ...conversation,
    sampling: samplingFrom(body),
    jsonSchema: format ? grammarSchema(format.schema, 'output_config.format.schema') : undefined,
  };
}

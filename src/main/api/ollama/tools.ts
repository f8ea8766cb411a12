import type { ChatMessage, ToolCall, ToolCallRef, ToolDefinition } from '../../engine-process/protocol';
import { offeredTools } from '../tool-schema';
import type { OllamaChatBody } from './schemas';

type Message = NonNullable<OllamaChatBody['messages']>[number];

/** The offered tools: one per name, object parameters the grammar can hold the arguments to. */
export function ollamaToolsFrom(body: OllamaChatBody): ToolDefinition[] | undefined {
  if (!body.tools || body.tools.length === 0) return undefined;
  return offeredTools(
    body.tools.map((t) => t.function),
    (i) => ({ name: `tools.${i}.function.name`, parameters: `tools.${i}.function.parameters` }),
  );
}

/**
 * The conversation as the engine keeps it. Ollama has no call ids: each earlier call gets one, and
 * a tool message answers the first unanswered call of the turn before it that has its tool_name
 * (or, without a name, the next unanswered call), which is how Ollama's own templates pair them.
 */
export function ollamaMessagesFrom(messages: Message[]): ChatMessage[] {
  let open: ToolCall[] = [];
  return messages.map((m, i): ChatMessage => {
    if (m.role === 'assistant' && m.tool_calls && m.tool_calls.length > 0) {
      const toolCalls = m.tool_calls.map((c, j) => ({
        id: `call_${i}_${j}`,
        name: c.function.name,
        arguments: JSON.stringify(c.function.arguments),
      }));
      open = [...toolCalls];
      return { role: 'assistant', content: m.content, toolCalls };
    }
    if (m.role !== 'tool') {
      if (m.role !== 'system') open = [];
      return { role: m.role, content: m.content };
    }
    const name = m.tool_name;
    const call =
      open.find((c) => c.id === m.tool_call_id) ??
      (name === undefined ? open[0] : open.find((c) => c.name === name));
    if (call) open = open.filter((c) => c !== call);
    // A result that answers no call is still sent (as the model's user-side text), never dropped.
    return { role: 'tool', content: m.content, toolCallId: call?.id ?? `unmatched_${i}` };
  });
}

/** A call as Ollama's message.tool_calls holds it: the arguments as an object. */
export function ollamaToolCall(index: number, name: string, args: string) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    parsed = {};
  }
  const object = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : {};
  return { function: { index, name, arguments: object } };
}

export type OllamaToolCall = ReturnType<typeof ollamaToolCall>;

/**
 * Ollama streams each call whole, in the chunk where it completes: the engine streams the
 * arguments piece by piece, and a call is complete once its text parses (an object cannot go on
 * past its closing brace). Calls never sent that way go out with the last line.
 */
export class ToolCallLines {
  private readonly text = new Map<number, { name: string; args: string }>();
  private readonly sent = new Set<number>();

  /** The call this piece completes, if it does. */
  piece(text: string, call: ToolCallRef): OllamaToolCall | undefined {
    const entry = this.text.get(call.index) ?? { name: call.name, args: '' };
    entry.args += text;
    this.text.set(call.index, entry);
    if (this.sent.has(call.index) || !text.includes('}')) return undefined;
    try {
      JSON.parse(entry.args);
    } catch {
      return undefined;
    }
    this.sent.add(call.index);
    return ollamaToolCall(call.index, entry.name, entry.args);
  }

  /** The reply's calls not sent yet. */
  rest(calls: ToolCall[] | undefined): OllamaToolCall[] {
    return (calls ?? []).flatMap((c, index) =>
      this.sent.has(index) ? [] : [ollamaToolCall(index, c.name, c.arguments)],
    );
  }
}

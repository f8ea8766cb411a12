import type { ToolCall, ToolCallRef } from '../../engine-process/protocol';

/** A finished call as OpenAI's message.tool_calls holds it. */
export const toolCallOut = (call: ToolCall) => ({
  id: call.id,
  type: 'function' as const,
  function: { name: call.name, arguments: call.arguments },
});

/**
 * One streamed piece of a call's arguments as a delta.tool_calls entry: the first piece of a call
 * carries its id, type and name (OpenAI's clients start a call on them), the rest only arguments.
 * `started` holds the indices whose first piece went out.
 */
export function toolCallDelta(text: string, call: ToolCallRef, started: Set<number>) {
  if (started.has(call.index)) return { index: call.index, function: { arguments: text } };
  started.add(call.index);
  return {
    index: call.index,
    id: call.id,
    type: 'function' as const,
    function: { name: call.name, arguments: text },
  };
}

import { randomUUID } from 'node:crypto';
import {
  LlamaChat,
  type ChatHistoryItem,
  type ChatWrapper,
  type LLamaChatPromptOptions,
  type LlamaChatResponseFunctionCallParamsChunk,
  type LlamaContextSequence,
} from 'node-llama-cpp';
import { forcedCallWrapper } from './forced-call';
import type { ChatRequest, ChunkHandler, ToolCall, ToolCallRef } from './protocol';
import { functionsOf } from './tool-history';

/** What a tool-path reply shares with a plain one (LlamaChatSession's): sampling, callbacks, signal. */
export type ReplyOptions = Pick<
  LLamaChatPromptOptions,
  | 'maxTokens'
  | 'temperature'
  | 'topP'
  | 'topK'
  | 'minP'
  | 'seed'
  | 'repeatPenalty'
  | 'customStopTriggers'
  | 'budgets'
  | 'tokenBias'
  | 'signal'
  | 'stopOnAbortSignal'
  | 'onToken'
  | 'onResponseChunk'
>;

/** The whitespace a call's arguments end with: the params grammar closes on four newlines. */
const trailingSpace = /\s*$/;

/**
 * Streams each call's arguments as the model writes them, holding back only trailing whitespace
 * (the grammar's end marker may follow), and collects the finished calls.
 */
class ToolCallStream {
  readonly calls: ToolCall[] = [];
  private readonly refs: ToolCallRef[] = [];
  private readonly written: string[] = [];
  private held = '';

  constructor(private readonly onChunk: ChunkHandler) {}

  private ref(index: number, name: string): ToolCallRef {
    this.refs[index] ??= { index, name, id: `call_${randomUUID().replaceAll('-', '').slice(0, 24)}` };
    return this.refs[index];
  }

  private write(index: number, name: string, text: string): void {
    this.written[index] = (this.written[index] ?? '') + text;
    this.onChunk(text, 'toolCall', this.ref(index, name));
  }

  piece(chunk: LlamaChatResponseFunctionCallParamsChunk): void {
    const text = this.held + chunk.paramsChunk;
    const tail = trailingSpace.exec(text)?.[0] ?? '';
    this.held = chunk.done ? '' : tail;
    const ready = text.slice(0, text.length - tail.length);
    if (ready) this.write(chunk.callIndex, chunk.functionName, ready);
  }

  /** A finished call; a call with no parameters streamed nothing yet, so it goes out whole. */
  finish(name: string, params: unknown): void {
    const index = this.calls.length;
    if (this.written[index] === undefined) this.write(index, name, JSON.stringify(params ?? {}));
    this.held = '';
    const ref = this.ref(index, name);
    this.calls.push({ id: ref.id, name, arguments: this.written[index] ?? '{}' });
  }
}

/**
 * A reply that may call the client's tools, on node-llama-cpp's LlamaChat (LlamaChatSession would
 * run the functions itself; here the calls go back to the client, which runs them). The reply
 * ends at the calls (stopReason "functionCalls").
 */
export async function runToolChat(options: {
  sequence: LlamaContextSequence;
  chatWrapper: ChatWrapper | undefined;
  history: ChatHistoryItem[];
  request: Pick<ChatRequest, 'tools' | 'toolChoice' | 'parallelToolCalls'>;
  reply: ReplyOptions;
  onChunk: ChunkHandler;
}): Promise<{ responseText: string; stopReason: string; toolCalls: ToolCall[] }> {
  const { request } = options;
  const choice = request.toolChoice ?? 'auto';
  const tools = request.tools ?? [];
  const offered =
    choice === 'none' ? [] : typeof choice === 'object' ? tools.filter((t) => t.name === choice.name) : tools;
  const forced = choice === 'required' || typeof choice === 'object';
  if (forced && offered.length === 0) throw new Error('tool_choice names no offered tool');
  const wrapper = options.chatWrapper;
  if (forced && !wrapper) throw new Error('This model has no chat format to force a tool call with');
  const chat = new LlamaChat({
    contextSequence: options.sequence,
    chatWrapper: forced && wrapper ? forcedCallWrapper(wrapper) : (wrapper ?? 'auto'),
    autoDisposeSequence: false,
  });
  const stream = new ToolCallStream(options.onChunk);
  try {
    const result = await chat.generateResponse(options.history, {
      ...options.reply,
      ...(offered.length > 0
        ? {
            functions: functionsOf(offered),
            // A forced reply is one call, as OpenAI's named tool_choice is.
            maxParallelFunctionCalls: forced || request.parallelToolCalls === false ? 1 : undefined,
            onFunctionCallParamsChunk: (chunk) => stream.piece(chunk),
            onFunctionCall: (call) => stream.finish(call.functionName, call.params),
          }
        : {}),
    });
    return { responseText: result.response, stopReason: result.metadata.stopReason, toolCalls: stream.calls };
  } finally {
    chat.dispose({ disposeSequence: false });
  }
}

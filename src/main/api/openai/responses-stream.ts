import type { ServerResponse } from 'node:http';
import type { ChatResult, ChunkSegment, ToolCallRef } from '../../engine-process/protocol';
import {
  functionCallItem,
  isIncomplete,
  messageItem,
  newId,
  outputText,
  reasoningItem,
  type ItemStatus,
  type OutputItem,
  type ResponseState,
} from './responses-output';

/** The response object for a lifecycle event, given its state and the items so far. */
export type Snapshot = (state: ResponseState, output: OutputItem[]) => object;

interface OpenItem {
  index: number;
  item: OutputItem;
  /** For a function_call: which of the reply's calls it is. */
  callIndex?: number;
}

/**
 * A streamed response as the Responses API's typed SSE events, each with its sequence_number:
 * response.created and .in_progress, then per output item .output_item.added, its content part,
 * its deltas as the engine writes them (thinking, text, call arguments), their .done events and
 * .output_item.done, and last response.completed, .incomplete or .failed with the whole response.
 */
export class ResponseEvents {
  private sequence = 0;
  private readonly items: OutputItem[] = [];
  private open: OpenItem | undefined;
  private text = '';
  private thought = '';

  constructor(
    private readonly res: ServerResponse,
    private readonly snapshot: Snapshot,
  ) {}

  private send(type: string, fields: object): void {
    if (this.res.destroyed || this.res.writableEnded) return;
    const data = JSON.stringify({ type, ...fields, sequence_number: this.sequence++ });
    this.res.write(`event: ${type}\ndata: ${data}\n\n`);
  }

  begin(): void {
    const response = this.snapshot({ status: 'in_progress' }, []);
    this.send('response.created', { response });
    this.send('response.in_progress', { response });
  }

  chunk(text: string, segment: ChunkSegment, call?: ToolCallRef): void {
    if (segment === 'toolCall' && call) return this.argumentsDelta(text, call);
    if (segment === 'thought') {
      this.thought += text;
      const item = this.openItem('reasoning');
      this.send('response.reasoning_text.delta', { ...this.where(item), content_index: 0, delta: text });
      if (item.item.type === 'reasoning') item.item.content[0]!.text += text;
      return;
    }
    this.text += text;
    const item = this.openItem('message');
    this.send('response.output_text.delta', {
      ...this.where(item),
      content_index: 0,
      delta: text,
      logprobs: [],
    });
    if (item.item.type === 'message') item.item.content[0]!.text += text;
  }

  /** Closes the last item and ends with response.completed (or .incomplete at max_output_tokens). */
  finish(result: ChatResult): void {
    // Whatever the engine returned but did not stream (normally nothing) is not lost.
    if (result.thought.startsWith(this.thought) && result.thought.length > this.thought.length)
      this.chunk(result.thought.slice(this.thought.length), 'thought');
    if (result.text.startsWith(this.text) && result.text.length > this.text.length)
      this.chunk(result.text.slice(this.text.length), 'text');
    // A reply with neither text nor calls still has its (empty) message, as a whole reply does.
    if (!this.items.some((i) => i.type !== 'reasoning')) this.openItem('message');
    const incomplete = isIncomplete(result);
    const finished = new Set((result.toolCalls ?? []).map((c) => c.id));
    this.close(
      this.open?.item.type === 'function_call' && !finished.has(this.open.item.call_id)
        ? 'incomplete'
        : incomplete && this.open?.item.type !== 'function_call'
          ? 'incomplete'
          : 'completed',
    );
    const state: ResponseState = { status: incomplete ? 'incomplete' : 'completed', result };
    this.send(incomplete ? 'response.incomplete' : 'response.completed', {
      response: this.snapshot(state, this.items),
    });
  }

  /** The engine failed after the stream began: the open item stops, then response.failed says why. */
  fail(message: string): void {
    this.close('incomplete');
    this.send('response.failed', { response: this.snapshot({ status: 'failed', message }, this.items) });
  }

  private where(open: OpenItem): { item_id: string; output_index: number } {
    return { item_id: open.item.id, output_index: open.index };
  }

  private argumentsDelta(text: string, call: ToolCallRef): void {
    let open = this.open;
    if (open?.item.type !== 'function_call' || open.callIndex !== call.index) {
      this.close('completed');
      const item = functionCallItem(
        newId('fc'),
        { id: call.id, name: call.name, arguments: '' },
        'in_progress',
      );
      open = this.add(item, call.index);
    }
    this.send('response.function_call_arguments.delta', { ...this.where(open), delta: text });
    if (open.item.type === 'function_call') open.item.arguments += text;
  }

  /** The open item of this kind, or a new one (closing the one before it). */
  private openItem(type: 'reasoning' | 'message'): OpenItem {
    if (this.open?.item.type === type) return this.open;
    this.close('completed');
    const open =
      type === 'reasoning'
        ? this.add(reasoningItem(newId('rs'), '', 'in_progress'))
        : this.add(messageItem(newId('msg'), '', 'in_progress'));
    const part = type === 'reasoning' ? { type: 'reasoning_text', text: '' } : outputText('');
    this.send('response.content_part.added', { ...this.where(open), content_index: 0, part });
    return open;
  }

  private add(item: OutputItem, callIndex?: number): OpenItem {
    const index = this.items.length;
    this.items.push(item);
    // Announced empty: the deltas fill it.
    const announced =
      item.type === 'function_call' ? { ...item } : { ...item, content: [], status: 'in_progress' as const };
    this.send('response.output_item.added', { output_index: index, item: announced });
    this.open = { index, item, callIndex };
    return this.open;
  }

  private close(status: ItemStatus): void {
    const open = this.open;
    if (!open) return;
    this.open = undefined;
    const { item } = open;
    item.status = status;
    const at = this.where(open);
    if (item.type === 'reasoning') {
      const text = item.content[0]!.text;
      this.send('response.reasoning_text.done', { ...at, content_index: 0, text });
      this.send('response.content_part.done', { ...at, content_index: 0, part: item.content[0] });
    } else if (item.type === 'message') {
      const text = item.content[0]!.text;
      this.send('response.output_text.done', { ...at, content_index: 0, text, logprobs: [] });
      this.send('response.content_part.done', { ...at, content_index: 0, part: item.content[0] });
    } else {
      this.send('response.function_call_arguments.done', { ...at, arguments: item.arguments });
    }
    this.send('response.output_item.done', { output_index: open.index, item });
  }
}

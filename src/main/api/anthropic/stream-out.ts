import type { ServerResponse } from 'node:http';
import type { ChatResult, ChunkSegment, ToolCallRef } from '../../engine-process/protocol';
import type { ApiError } from '../api-error';
import { apiHeaders } from '../http-out';
import { anthropicErrorBody } from './errors';
import { stopOf, textBlock, thinkingBlock, thinkingSignature, toolUseBlock, usageOf } from './message-out';

type OpenBlock = { kind: 'text' } | { kind: 'thinking'; text: string } | { kind: 'tool'; call: number };

/**
 * How often a ping goes out while nothing else does: a long prompt read on a CPU can keep the first
 * token minutes away, and proxies (and clients) close streams that stay silent.
 */
const defaultPingMs = 10_000;

/**
 * A reply as Anthropic's event stream: message_start, then for each content block
 * content_block_start, its deltas and content_block_stop, then message_delta (stop reason and
 * usage) and message_stop. Each event is written as the engine's batch arrives; a thinking block
 * ends with its signature_delta, a call's arguments go out as input_json_delta pieces as they are
 * written.
 */
export class MessageEvents {
  private index = -1;
  private open: OpenBlock | undefined;
  private pinger: ReturnType<typeof setInterval> | undefined;
  private lastWrite = 0;

  constructor(
    private readonly res: ServerResponse,
    private readonly pingMs = defaultPingMs,
  ) {}

  get started(): boolean {
    return this.res.headersSent;
  }

  private event(name: string, data: object): void {
    if (this.res.destroyed || this.res.writableEnded) return;
    this.lastWrite = Date.now();
    this.res.write(`event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`);
  }

  /** Headers and message_start: the message with no content yet and the prompt's tokens. */
  start(headers: Record<string, string>, message: { id: string; model: string; inputTokens: number }): void {
    if (this.res.headersSent || this.res.destroyed) return;
    this.res.socket?.setNoDelay(true);
    this.res.writeHead(200, {
      ...apiHeaders,
      ...headers,
      'Content-Type': 'text/event-stream; charset=utf-8',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    this.event('message_start', {
      message: {
        id: message.id,
        type: 'message',
        role: 'assistant',
        model: message.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: message.inputTokens,
          output_tokens: 0,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
        },
      },
    });
    this.pinger = setInterval(() => {
      if (Date.now() - this.lastWrite >= this.pingMs) this.event('ping', {});
    }, this.pingMs);
    this.pinger.unref();
    this.res.once('close', () => clearInterval(this.pinger));
  }

  private begin(open: OpenBlock, block: object): void {
    this.close();
    this.open = open;
    this.event('content_block_start', { index: ++this.index, content_block: block });
  }

  private delta(delta: object): void {
    this.event('content_block_delta', { index: this.index, delta });
  }

  private close(): void {
    const open = this.open;
    if (!open) return;
    if (open.kind === 'thinking')
      this.delta({ type: 'signature_delta', signature: thinkingSignature(open.text) });
    this.event('content_block_stop', { index: this.index });
    this.open = undefined;
  }

  /** One engine chunk: a new block when the kind (or the call) changes, then its delta. */
  chunk(text: string, segment: ChunkSegment, call?: ToolCallRef): void {
    let open = this.open;
    if (segment === 'toolCall' && call) {
      if (open?.kind !== 'tool' || open.call !== call.index)
        this.begin({ kind: 'tool', call: call.index }, toolUseBlock(call, {}));
      this.delta({ type: 'input_json_delta', partial_json: text });
    } else if (segment === 'thought') {
      if (open?.kind !== 'thinking') {
        open = { kind: 'thinking', text: '' };
        this.begin(open, thinkingBlock('', ''));
      }
      open.text += text;
      this.delta({ type: 'thinking_delta', thinking: text });
    } else {
      if (open?.kind !== 'text') this.begin({ kind: 'text' }, textBlock(''));
      this.delta({ type: 'text_delta', text });
    }
  }

  /** The last block's stop, then message_delta and message_stop. */
  finish(result: ChatResult, stops: readonly string[]): void {
    // A reply with nothing in it still has a text block, as the whole message does.
    if (this.index < 0) this.begin({ kind: 'text' }, textBlock(''));
    this.close();
    const usage = usageOf(result);
    this.event('message_delta', {
      delta: stopOf(result, stops),
      // The prompt's final count (older turns may have been left out to fit), and the reply's.
      usage: { input_tokens: usage.input_tokens, output_tokens: usage.output_tokens },
    });
    this.event('message_stop', {});
  }

  /** A failure after the headers went out: an error event, as Anthropic's clients expect. */
  fail(error: ApiError): void {
    this.event('error', anthropicErrorBody(error));
  }

  end(): void {
    clearInterval(this.pinger);
    if (!this.res.writableEnded) this.res.end();
  }
}

import { request } from 'node:http';

/** A raw Server-Sent Events body as Anthropic's stream writes it: `event: name` then `data: json`. */
export interface SseEvent {
  event: string;
  data: Record<string, unknown> & { type: string };
}

export function parseSse(body: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const frame of body.split('\n\n')) {
    if (frame.trim() === '') continue;
    const lines = frame.split('\n');
    const event = lines.find((l) => l.startsWith('event: '))?.slice('event: '.length);
    const data = lines.find((l) => l.startsWith('data: '))?.slice('data: '.length);
    if (event === undefined || data === undefined) throw new Error(`Not an SSE frame: ${frame}`);
    events.push({ event, data: JSON.parse(data) as SseEvent['data'] });
  }
  return events;
}

/**
 * The grammar of Anthropic's stream, checked on the event names: message_start, then blocks of
 * content_block_start, deltas, content_block_stop (indices 0, 1, 2… in order, each delta and stop
 * naming its block), then message_delta and message_stop. Returns the blocks' delta types.
 */
export function checkEventOrder(all: SseEvent[]): string[][] {
  // Pings may come anywhere (Hearth sends them only after 10 s of silence).
  const events = all.filter((e) => e.event !== 'ping');
  const names = events.map((e) => e.event);
  const shape = names
    .map((n) =>
      n === 'message_start'
        ? 'M'
        : n === 'content_block_start'
          ? '['
          : n === 'content_block_delta'
            ? 'd'
            : n === 'content_block_stop'
              ? ']'
              : n === 'message_delta'
                ? 'D'
                : n === 'message_stop'
                  ? 'S'
                  : '?',
    )
    .join('');
  if (!/^M(\[d*\])+DS$/.test(shape)) throw new Error(`Events out of order: ${names.join(', ')}`);
  for (const e of events) if (e.data.type !== e.event) throw new Error(`${e.event} carries ${e.data.type}`);
  const blocks: string[][] = [];
  let index = -1;
  for (const e of events) {
    if (e.event === 'content_block_start') {
      index++;
      if (e.data.index !== index) throw new Error(`Block ${String(e.data.index)} started as #${index}`);
      blocks.push([]);
    } else if (e.event === 'content_block_delta' || e.event === 'content_block_stop') {
      if (e.data.index !== index) throw new Error(`${e.event} for ${String(e.data.index)} inside #${index}`);
      if (e.event === 'content_block_delta') blocks[index]!.push((e.data.delta as { type: string }).type);
    }
  }
  return blocks;
}

/** POSTs a JSON body and reads the streamed answer to its end, calling `onData` with what came so far. */
export function postStream(
  origin: string,
  path: string,
  body: string,
  onData: (received: string) => void,
): Promise<string> {
  const target = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        method: 'POST',
        path,
        headers: { 'Content-Type': 'application/json' },
      },
      (res) => {
        let received = '';
        res.on('data', (chunk: Buffer) => {
          received += chunk.toString();
          onData(received);
        });
        res.on('end', () => resolve(received));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

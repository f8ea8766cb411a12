import type { LlamaContext } from 'node-llama-cpp';

/** The two methods of node-llama-cpp's native context that this guard wraps (3.21.1's addon). */
interface NativeContext {
  decodeBatch(...args: unknown[]): Promise<unknown>;
  sampleToken(...args: unknown[]): Promise<unknown>;
}

function nativeOf(context: LlamaContext): NativeContext | undefined {
  const native = (context as unknown as { _ctx?: Partial<NativeContext> })._ctx;
  return typeof native?.decodeBatch === 'function' && typeof native.sampleToken === 'function'
    ? (native as NativeContext)
    : undefined;
}

/**
 * Makes the first logits read after each decode run alone.
 *
 * When a decode holds tokens of several sequences, llama.cpp may compute their outputs in another
 * order than the batch's, and it puts the rows back in place lazily, on the first read of the logits
 * (llama_get_logits_ith → output_reorder), without a lock. node-llama-cpp samples every sequence of
 * a batch at once on libuv's threads, so two first reads can swap the same rows twice, and a
 * sequence then samples from another one's logits: a concurrent API client gets a reply that
 * wanders off into a neighbour's (seen here as a 20-nat jump in one token's log-probability, a few
 * times in a few hundred parallel replies). Once the first read is done the rows are in order, so
 * the other reads of that batch still run in parallel.
 *
 * Returns false when the native context does not have the expected shape (another node-llama-cpp
 * version): the guard is then absent, and a test that runs parallel replies says so.
 */
export function guardFirstLogitRead(context: LlamaContext): boolean {
  const native = nativeOf(context);
  if (!native) return false;
  const decode = native.decodeBatch.bind(native);
  const sample = native.sampleToken.bind(native);
  let reordered = true;
  let firstRead: Promise<unknown> | undefined;
  // The addon's methods are read-only on its prototype; own properties on the instance shadow them.
  Object.defineProperty(native, 'decodeBatch', {
    configurable: true,
    value: async (...args: unknown[]) => {
      const result = await decode(...args);
      reordered = false;
      firstRead = undefined;
      return result;
    },
  });
  Object.defineProperty(native, 'sampleToken', {
    configurable: true,
    value: async (...args: unknown[]) => {
      if (reordered) return sample(...args);
      if (firstRead) {
        await firstRead.catch(() => undefined);
        return sample(...args);
      }
      const read = sample(...args);
      firstRead = read;
      try {
        return await read;
      } finally {
        if (firstRead === read) reordered = true;
      }
    },
  });
  return true;
}

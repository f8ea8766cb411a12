import type { LlamaContextSequence } from 'node-llama-cpp';

/** Requests waiting for a free sequence beyond this are refused: the app is told the engine is busy. */
const maxQueued = 16;

interface Waiter {
  resolve: (sequence: LlamaContextSequence) => void;
  reject: (error: Error) => void;
}

/** The context's sequences: one reply each at a time, the others queued for the next free one. */
export class SequencePool {
  private free: LlamaContextSequence[] = [];
  private waiting: Waiter[] = [];

  reset(sequences: LlamaContextSequence[]): void {
    this.free = sequences;
  }

  acquire(signal: AbortSignal): Promise<LlamaContextSequence> {
    if (signal.aborted) return Promise.reject(new Error('The reply was stopped before it started'));
    const sequence = this.free.pop();
    if (sequence) return Promise.resolve(sequence);
    if (this.waiting.length >= maxQueued)
      return Promise.reject(
        new Error(`The engine is busy (${maxQueued} requests waiting); try again shortly`),
      );
    // A request stopped while it waits leaves the queue: it never starts.
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.waiting = this.waiting.filter((w) => w !== waiter);
        reject(new Error('The reply was stopped before it started'));
      };
      const waiter: Waiter = {
        resolve: (s) => {
          signal.removeEventListener('abort', onAbort);
          resolve(s);
        },
        reject,
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  release(sequence: LlamaContextSequence): void {
    const next = this.waiting.shift();
    if (next) next.resolve(sequence);
    else this.free.push(sequence);
  }

  /** The model is going away: nothing waiting will get a sequence. */
  clear(reason: string): void {
    this.free = [];
    for (const waiter of this.waiting.splice(0)) waiter.reject(new Error(reason));
  }
}

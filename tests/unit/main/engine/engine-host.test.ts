import { describe, expect, it } from 'vitest';
import type { EngineToHost, HostToEngine } from '../../../../src/main/engine-process/protocol';
import type { EngineChild } from '../../../../src/main/services/engine/engine-child';
import { EngineHost } from '../../../../src/main/services/engine/engine-host';

/** An engine process stand-in whose replies the test scripts. */
class FakeChild implements EngineChild {
  static nextPid = 100;
  readonly pid = FakeChild.nextPid++;
  readonly received: HostToEngine[] = [];
  killed = false;
  private messageListeners: ((m: EngineToHost) => void)[] = [];
  private exitListeners: ((code: number | null) => void)[] = [];
  constructor(private readonly behaviour: (message: HostToEngine, child: FakeChild) => void) {
    queueMicrotask(() => this.reply({ type: 'ready', pid: this.pid }));
  }
  send(message: HostToEngine): void {
    this.received.push(message);
    queueMicrotask(() => this.behaviour(message, this));
  }
  onMessage(listener: (m: EngineToHost) => void): void {
    this.messageListeners.push(listener);
  }
  onExit(listener: (code: number | null) => void): void {
    this.exitListeners.push(listener);
  }
  kill(): void {
    this.killed = true;
    this.exit(null);
  }
  reply(message: EngineToHost): void {
    for (const l of this.messageListeners) l(message);
  }
  exit(code: number | null): void {
    for (const l of this.exitListeners) l(code);
    this.exitListeners = [];
  }
}

const load = { modelPath: '/m.gguf', gpuLayers: 0, contextSize: 512, threads: 1 } as const;
const ask = {
  messages: [{ role: 'user' as const, content: 'hi' }],
  sampling: { temperature: 0, maxTokens: 4, stop: [] },
};

/** Answers load and prompt at once; shutdown exits cleanly. */
const cooperative = (message: HostToEngine, child: FakeChild): void => {
  if (message.type === 'load')
    child.reply({
      type: 'result',
      id: message.id,
      value: { modelPath: message.modelPath, contextSize: 512, gpuLayers: 0, loadMs: 1 },
    });
  if (message.type === 'chat') {
    child.reply({ type: 'chunk', id: message.id, text: 'Hel', segment: 'text' });
    child.reply({ type: 'chunk', id: message.id, text: 'lo', segment: 'text' });
    child.reply({
      type: 'result',
      id: message.id,
      value: { text: 'Hello', thought: '', stopReason: 'eos', stats: {} },
    });
  }
  if (message.type === 'shutdown') child.exit(0);
};

describe('engine host', () => {
  it('starts lazily, loads, streams chunks and returns the reply', async () => {
    const children: FakeChild[] = [];
    const host = new EngineHost({
      launch: () => (children.push(new FakeChild(cooperative)), children.at(-1)!),
    });
    expect(children).toHaveLength(0);
    await host.load(load);
    const chunks: string[] = [];
    const result = await host.chat(ask, (t) => chunks.push(t));
    expect(result.text).toBe('Hello');
    expect(chunks).toEqual(['Hel', 'lo']);
    expect(children).toHaveLength(1);
    expect(host.status()).toMatchObject({ state: 'ready', modelPath: '/m.gguf', restarts: 0 });
  });

  it('kills a load that exceeds its timeout and reports it', async () => {
    const child = new FakeChild(() => {}); // never answers
    const host = new EngineHost({ launch: () => child, loadTimeoutMs: 30 });
    await expect(host.load(load)).rejects.toMatchObject({ code: 'ENGINE_TIMEOUT' });
    expect(child.killed).toBe(true);
  });

  it('stops politely, and kills when the process does not leave in time', async () => {
    const polite = new FakeChild(cooperative);
    const host = new EngineHost({ launch: () => polite });
    await host.load(load);
    await host.stop();
    expect(polite.received.at(-1)).toEqual({ type: 'shutdown' });
    expect(polite.killed).toBe(false);

    const stubborn = new FakeChild((m, c) => m.type === 'load' && cooperative(m, c));
    const host2 = new EngineHost({ launch: () => stubborn, stopGraceMs: 20 });
    await host2.load(load);
    await host2.stop();
    expect(stubborn.killed).toBe(true);
    expect(host2.state).toBe('stopped');
  });

  it('after a crash fails the request in flight, then restarts and reloads the model on the next one', async () => {
    const children: FakeChild[] = [];
    let crashOnPrompt = true;
    const behaviour = (message: HostToEngine, child: FakeChild): void => {
      if (message.type === 'chat' && crashOnPrompt) {
        crashOnPrompt = false;
        child.exit(null);
        return;
      }
      cooperative(message, child);
    };
    const crashes: number[] = [];
    const host = new EngineHost({
      launch: () => (children.push(new FakeChild(behaviour)), children.at(-1)!),
      onCrash: ({ restarts }) => crashes.push(restarts),
    });
    await host.load(load);
    await expect(host.chat(ask)).rejects.toMatchObject({ code: 'ENGINE_CRASHED' });
    expect(crashes).toEqual([1]);
    const result = await host.chat(ask);
    expect(result.text).toBe('Hello');
    expect(children).toHaveLength(2);
    expect(children[1]?.received.map((m) => m.type)).toEqual(['load', 'chat']);
    expect(host.restartCount).toBe(1);
  });

  it('passes engine errors through with their message', async () => {
    const child = new FakeChild((m, c) => {
      if (m.type === 'load')
        c.reply({
          type: 'error',
          id: m.id,
          code: 'ENGINE_ERROR',
          message: 'Failed to load model: bad magic',
        });
    });
    const host = new EngineHost({ launch: () => child });
    await expect(host.load(load)).rejects.toMatchObject({
      code: 'ENGINE_ERROR',
      message: 'Failed to load model: bad magic',
    });
    await expect(host.chat(ask)).rejects.toMatchObject({
      message: 'No model is loaded',
    });
  });
});

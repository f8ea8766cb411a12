import { describe, expect, it, vi } from 'vitest';
import { MockUtilityProcess } from '../../../mocks/electron';

vi.mock('electron', () => ({ utilityProcess: MockUtilityProcess }));

describe('utility-process engine launcher', () => {
  it('forks the engine entry as a named utility process and speaks the protocol through it', async () => {
    const { utilityLauncher } = await import('../../../../src/main/electron/utility-launcher');
    const child = utilityLauncher('/app/out/main/engine.js', { HEARTH_ENGINE_GPU: 'auto' })();
    const fork = MockUtilityProcess.forks[0]!;
    expect(fork.entry).toBe('/app/out/main/engine.js');
    expect(fork.options).toMatchObject({
      serviceName: 'Hearth Engine',
      env: expect.objectContaining({ HEARTH_ENGINE_GPU: 'auto' }),
    });
    expect(child.pid).toBe(4242);

    child.send({ type: 'shutdown' });
    expect(fork.child.posted).toEqual([{ type: 'shutdown' }]);

    const messages: unknown[] = [];
    const exits: unknown[] = [];
    child.onMessage((m) => messages.push(m));
    child.onExit((code) => exits.push(code));
    fork.child.emit('message', { type: 'ready', pid: 4242 });
    expect(messages).toEqual([{ type: 'ready', pid: 4242 }]);
    child.kill();
    expect(fork.child.killed).toBe(true);
    expect(exits).toEqual([null]);
  });
});

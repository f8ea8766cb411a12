import { describe, expect, it, vi } from 'vitest';
import { ipcChannels, type HearthBridge } from '../../../../src/shared/contract';
import { MockRenderer } from '../../../mocks/electron';

const renderer = new MockRenderer();
vi.mock('electron', () => ({ contextBridge: renderer.contextBridge, ipcRenderer: renderer.ipcRenderer }));

describe('preload bridge', () => {
  it('exposes only window.hearth with invoke and on', async () => {
    await import('../../../../src/preload/index');
    expect([...renderer.exposed.keys()]).toEqual(['hearth']);
    const bridge = renderer.exposed.get('hearth') as HearthBridge;
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
  });

  it('sends invoke on the one contract channel, and delivers events until unsubscribed', async () => {
    await import('../../../../src/preload/index');
    const bridge = renderer.exposed.get('hearth') as HearthBridge;
    await bridge.invoke('app.info', { x: 1 });
    expect(renderer.invocations).toEqual([
      { channel: ipcChannels.invoke, args: [{ route: 'app.info', input: { x: 1 } }] },
    ]);

    const received: unknown[] = [];
    const off = bridge.on((m) => received.push(m));
    renderer.listeners.emit(ipcChannels.event, {}, { name: 'app.heartbeat', payload: { at: 1 } });
    off();
    renderer.listeners.emit(ipcChannels.event, {}, { name: 'app.heartbeat', payload: { at: 2 } });
    expect(received).toEqual([{ name: 'app.heartbeat', payload: { at: 1 } }]);
  });
});

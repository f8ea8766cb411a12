import { describe, expect, it, vi } from 'vitest';
import { ipcChannels } from '../../../../src/shared/contract';
import type { DesktopBridge } from '../../../../src/preload/api';
import { MockRenderer } from '../../../mocks/electron';

const renderer = new MockRenderer();
vi.mock('electron', () => ({
  contextBridge: renderer.contextBridge,
  ipcRenderer: renderer.ipcRenderer,
  webUtils: renderer.webUtils,
}));

async function loadBridge(): Promise<DesktopBridge> {
  await import('../../../../src/preload/index');
  renderer.invocations.length = 0;
  return renderer.exposed.get('hearth') as DesktopBridge;
}

describe('preload bridge', () => {
  it('exposes only window.hearth: the contract, the file dialog and dropped files’ paths', async () => {
    const bridge = await loadBridge();
    expect([...renderer.exposed.keys()]).toEqual(['hearth']);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on', 'pathForFile', 'pickModelFile']);
  });

  it('sends invoke on the one contract channel, and delivers events until unsubscribed', async () => {
    const bridge = await loadBridge();
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

  it('asks main for the file dialog, with nothing the page could choose, and gives back its answer', async () => {
    const bridge = await loadBridge();
    renderer.replies.set(ipcChannels.pickModelFile, '/home/ana/models/qwen3-8b-Q4_K_M.gguf');
    expect(await bridge.pickModelFile()).toBe('/home/ana/models/qwen3-8b-Q4_K_M.gguf');
    renderer.replies.set(ipcChannels.pickModelFile, null);
    expect(await bridge.pickModelFile()).toBeNull();
    expect(renderer.invocations).toEqual([
      { channel: ipcChannels.pickModelFile, args: [] },
      { channel: ipcChannels.pickModelFile, args: [] },
    ]);
  });

  it('gives the disk path of a dropped file, and an empty one for anything else', async () => {
    const bridge = await loadBridge();
    const dropped = new File(['GGUF'], 'model.gguf');
    renderer.diskFiles.set(dropped, '/home/ana/Downloads/model.gguf');
    expect(bridge.pathForFile(dropped)).toBe('/home/ana/Downloads/model.gguf');
    // Made in the page, not read from the disk: no path to hand to main.
    expect(bridge.pathForFile(new File(['GGUF'], 'made-up.gguf'))).toBe('');
    // webUtils throws for what is not a File; the bridge never lets that reach the page.
    expect(bridge.pathForFile({ name: 'x.gguf' } as unknown as File)).toBe('');
    expect(renderer.invocations).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { ipcChannels } from '../../../../src/shared/contract';
import { bindIpc } from '../../../../src/main/bindings/electron-ipc';
import { createSenderCheck } from '../../../../src/main/electron/security';
import { EventBus } from '../../../../src/main/events/event-bus';
import type { Router } from '../../../../src/main/router/router';
import { MockBrowserWindow, MockIpcMain, MockWebContents } from '../../../mocks/electron';

const appUrl = 'app://hearth/index.html';

function setup() {
  const ipcMain = new MockIpcMain();
  const events = new EventBus();
  const calls: { route: string; input: unknown }[] = [];
  const router: Router = {
    invoke: async (route, input) => {
      calls.push({ route, input });
      return { ok: true, value: 'pong' };
    },
  };
  const window = new MockBrowserWindow({});
  void window.loadURL(appUrl);
  const unbind = bindIpc({
    ipcMain: ipcMain as never,
    router,
    events,
    isTrustedSender: createSenderCheck(() => window, appUrl),
    targets: () => [window.webContents as never],
  });
  return { ipcMain, events, calls, window, unbind };
}

describe('IPC binding', () => {
  it('routes invoke calls from our window to the router', async () => {
    const { ipcMain, window, calls } = setup();
    const event = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    const result = await ipcMain.invoke(ipcChannels.invoke, event, { route: 'app.info', input: { a: 1 } });
    expect(result).toEqual({ ok: true, value: 'pong' });
    expect(calls).toEqual([{ route: 'app.info', input: { a: 1 } }]);
  });

  it('refuses other senders without reaching the router', async () => {
    const { ipcMain, calls } = setup();
    const stranger = new MockWebContents();
    const result = await ipcMain.invoke(
      ipcChannels.invoke,
      { sender: stranger, senderFrame: { url: appUrl } },
      { route: 'app.info' },
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(calls).toEqual([]);
  });

  it('answers our window on any app:// route, and refuses it once it shows another page', async () => {
    const { ipcMain, window, calls } = setup();
    const frame = window.webContents.mainFrame;
    const event = { sender: window.webContents, senderFrame: frame };
    frame.url = 'app://hearth/index.html#/settings';
    expect(await ipcMain.invoke(ipcChannels.invoke, event, { route: 'app.info' })).toMatchObject({
      ok: true,
    });
    for (const url of [
      'file:///app/out/renderer/index.html',
      'app://evil/index.html',
      'https://hearth/index.html',
      'http://localhost:5173/',
    ]) {
      frame.url = url;
      expect(await ipcMain.invoke(ipcChannels.invoke, event, { route: 'app.info' }), url).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
    expect(calls).toHaveLength(1);
  });

  it('refuses malformed payloads', async () => {
    const { ipcMain, window, calls } = setup();
    const event = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    for (const payload of [null, 'app.info', { route: 42 }, []]) {
      expect(await ipcMain.invoke(ipcChannels.invoke, event, payload)).toMatchObject({
        ok: false,
        error: { code: 'BAD_INPUT' },
      });
    }
    expect(calls).toEqual([]);
  });

  it('pushes events to live windows only, and stops after unbinding', () => {
    const { events, window, unbind, ipcMain } = setup();
    events.emit('app.heartbeat', { at: 1, uptimeMs: 0 });
    expect(window.webContents.sent).toEqual([
      { channel: ipcChannels.event, args: [{ name: 'app.heartbeat', payload: { at: 1, uptimeMs: 0 } }] },
    ]);
    window.webContents.destroyed = true;
    events.emit('app.heartbeat', { at: 2, uptimeMs: 1 });
    expect(window.webContents.sent).toHaveLength(1);
    unbind();
    expect(events.size).toBe(0);
    expect(ipcMain.handlers.size).toBe(0);
  });
});

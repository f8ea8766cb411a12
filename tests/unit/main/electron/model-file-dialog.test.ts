import { describe, expect, it } from 'vitest';
import { ipcChannels } from '../../../../src/shared/contract';
import { bindModelFileDialog } from '../../../../src/main/electron/model-file-dialog';
import { createSenderCheck } from '../../../../src/main/electron/security';
import { MockBrowserWindow, MockDialog, MockIpcMain, MockWebContents } from '../../../mocks/electron';

const appUrl = 'app://hearth/index.html';

function setup() {
  MockBrowserWindow.created = [];
  const ipcMain = new MockIpcMain();
  const dialog = new MockDialog();
  const window = new MockBrowserWindow({});
  void window.loadURL(appUrl);
  const unbind = bindModelFileDialog({
    ipcMain: ipcMain as never,
    dialog: dialog as never,
    isTrustedSender: createSenderCheck(() => window, appUrl),
    windowOf: (contents) => MockBrowserWindow.fromWebContents(contents) as never,
  });
  const pick = (event = { sender: window.webContents, senderFrame: window.webContents.mainFrame }) =>
    ipcMain.invoke(ipcChannels.pickModelFile, event);
  return { ipcMain, dialog, window, unbind, pick };
}

describe('the model file dialog (desktop Import)', () => {
  it('opens one file, GGUF only, as a sheet of our window, and answers the chosen path', async () => {
    const { dialog, window, pick } = setup();
    dialog.answer = { canceled: false, filePaths: ['/home/ana/models/Qwen3-8B-Q4_K_M.gguf'] };
    expect(await pick()).toBe('/home/ana/models/Qwen3-8B-Q4_K_M.gguf');
    expect(dialog.opened).toHaveLength(1);
    expect(dialog.opened[0]?.window).toBe(window);
    expect(dialog.opened[0]?.options).toMatchObject({
      properties: ['openFile'],
      filters: [{ name: 'GGUF models', extensions: ['gguf'] }],
    });
    expect(dialog.opened[0]?.options.properties).not.toContain('multiSelections');
  });

  it('answers null when the user cancels', async () => {
    const { dialog, pick } = setup();
    dialog.answer = { canceled: true, filePaths: [] };
    expect(await pick()).toBeNull();
  });

  it('refuses other pages and frames without opening anything', async () => {
    const { dialog, window, pick } = setup();
    const stranger = new MockWebContents();
    await expect(pick({ sender: stranger, senderFrame: { url: appUrl } })).rejects.toThrow(/may not/);
    // Our window, but a subframe, even one claiming our URL.
    await expect(pick({ sender: window.webContents, senderFrame: { url: appUrl } })).rejects.toThrow(
      /may not/,
    );
    window.webContents.mainFrame.url = 'https://evil.example/';
    await expect(pick()).rejects.toThrow(/may not/);
    expect(dialog.opened).toEqual([]);
  });

  it('stops answering once unbound', async () => {
    const { ipcMain, unbind } = setup();
    unbind();
    expect(ipcMain.handlers.has(ipcChannels.pickModelFile)).toBe(false);
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { createMainWindow } from '../../../../src/main/electron/window';
import { MockBrowserWindow, MockShell } from '../../../mocks/electron';

const appUrl = 'file:///app/out/renderer/index.html';

describe('main window', () => {
  let shell: MockShell;
  let window: MockBrowserWindow;

  beforeEach(() => {
    shell = new MockShell();
    window = createMainWindow(
      { BrowserWindow: MockBrowserWindow as never, shell },
      { preload: '/app/out/preload/index.cjs', appUrl },
    ) as never;
  });

  it('is created with secure web preferences', () => {
    const prefs = window.options.webPreferences;
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/out/preload/index.cjs',
    });
    expect(window.loadedUrl).toBe(appUrl);
  });

  it('shows itself only when ready, to avoid a white flash', () => {
    expect(window.shown).toBe(false);
    window.emit('ready-to-show');
    expect(window.shown).toBe(true);
  });

  it('never opens new windows; allow-listed https links go to the browser', () => {
    const handler = window.webContents.windowOpenHandler;
    expect(handler).toBeDefined();
    expect(handler?.({ url: 'https://huggingface.co/models' })).toEqual({ action: 'deny' });
    expect(handler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(handler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(shell.opened).toEqual(['https://huggingface.co/models']);
  });

  it('stays on its own page: other navigations are prevented', () => {
    expect(window.webContents.navigate(`${appUrl}#/settings`)).toBe(false);
    expect(window.webContents.navigate('https://evil.example/')).toBe(true);
    expect(window.webContents.navigate('https://github.com/')).toBe(true);
    expect(shell.opened).toEqual(['https://github.com/']);
  });
});

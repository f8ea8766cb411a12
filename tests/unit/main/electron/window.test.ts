import { beforeEach, describe, expect, it } from 'vitest';
import { createMainWindow } from '../../../../src/main/electron/window';
import { MockBrowserWindow } from '../../../mocks/electron';

const appUrl = 'app://hearth/index.html';

describe('main window', () => {
  let window: MockBrowserWindow;

  beforeEach(() => {
    window = createMainWindow(
      { BrowserWindow: MockBrowserWindow as never },
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
});

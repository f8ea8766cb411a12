import { describe, expect, it } from 'vitest';
import { createSenderCheck, isAllowedExternalUrl, isAppUrl } from '../../../../src/main/electron/security';
import { MockBrowserWindow, MockWebContents } from '../../../mocks/electron';

describe('external links', () => {
  it('opens only https links to allow-listed sites', () => {
    expect(isAllowedExternalUrl('https://huggingface.co/bartowski/Llama-3.2-1B-Instruct-GGUF')).toBe(true);
    expect(isAllowedExternalUrl('https://cdn-lfs.huggingface.co/x')).toBe(true);
    expect(isAllowedExternalUrl('https://github.com/hearth')).toBe(true);
    expect(isAllowedExternalUrl('http://huggingface.co/')).toBe(false);
    expect(isAllowedExternalUrl('https://huggingface.co.evil.com/')).toBe(false);
    expect(isAllowedExternalUrl('https://evilhuggingface.co/')).toBe(false);
    expect(isAllowedExternalUrl('https://user:pass@github.com/')).toBe(false);
    expect(isAllowedExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isAllowedExternalUrl('javascript:alert(1)')).toBe(false);
    expect(isAllowedExternalUrl('not a url')).toBe(false);
  });
});

describe('app URL', () => {
  it('matches app://hearth pages and, in development, the dev server by origin', () => {
    const entry = 'app://hearth/index.html';
    expect(isAppUrl('app://hearth/index.html#/chat', entry)).toBe(true);
    expect(isAppUrl('app://hearth/assets/index.js', entry)).toBe(true);
    expect(isAppUrl('app://hearth', entry)).toBe(true);
    expect(isAppUrl('app://other/index.html', entry)).toBe(false);
    expect(isAppUrl('app://hearth:8080/index.html', entry)).toBe(false);
    expect(isAppUrl('https://hearth/index.html', entry)).toBe(false);
    expect(isAppUrl('http://localhost:5173/x', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    expect(isAppUrl('not a url', entry)).toBe(false);
  });

  it('never treats file: pages as the app', () => {
    expect(isAppUrl('file:///etc/passwd', 'app://hearth/index.html')).toBe(false);
    const file = 'file:///opt/Hearth/resources/app.asar/out/renderer/index.html';
    expect(isAppUrl(file, file)).toBe(false);
  });
});

describe('IPC sender check', () => {
  const appUrl = 'app://hearth/index.html';

  it('trusts only our window, its main frame, at our URL', () => {
    const window = new MockBrowserWindow({});
    void window.loadURL(appUrl);
    const check = createSenderCheck(() => window, appUrl);
    const frame = window.webContents.mainFrame;
    expect(check({ sender: window.webContents as never, senderFrame: frame as never })).toBe(true);

    const other = new MockWebContents();
    expect(check({ sender: other as never, senderFrame: frame as never })).toBe(false);
    expect(check({ sender: window.webContents as never, senderFrame: { url: appUrl } as never })).toBe(false);
    expect(check({ sender: window.webContents as never, senderFrame: null })).toBe(false);

    frame.url = 'https://evil.example/';
    expect(check({ sender: window.webContents as never, senderFrame: frame as never })).toBe(false);
    frame.url = 'file:///app/out/renderer/index.html';
    expect(check({ sender: window.webContents as never, senderFrame: frame as never })).toBe(false);
    frame.url = 'app://hearth/index.html#/settings';
    expect(check({ sender: window.webContents as never, senderFrame: frame as never })).toBe(true);
  });

  it('trusts nobody when the window is gone', () => {
    const check = createSenderCheck(() => undefined, appUrl);
    expect(check({ sender: new MockWebContents() as never, senderFrame: { url: appUrl } as never })).toBe(
      false,
    );
  });
});

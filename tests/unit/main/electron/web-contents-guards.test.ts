import { beforeEach, describe, expect, it } from 'vitest';
import { guardAllWebContents } from '../../../../src/main/electron/web-contents-guards';
import { MockApp, MockSession, MockShell } from '../../../mocks/electron';

const appUrl = 'app://hearth/index.html';

describe('guards on every web contents', () => {
  let app: MockApp;
  let shell: MockShell;

  beforeEach(() => {
    app = new MockApp();
    shell = new MockShell();
    guardAllWebContents(app as never, { appUrl, shell });
  });

  it('applies to each web contents created, not only the first window', () => {
    const first = app.createWebContents();
    const second = app.createWebContents(new MockSession());
    for (const contents of [first, second]) {
      expect(contents.navigate('https://evil.example/')).toBe(true);
      expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
      expect(contents.attachWebview('https://evil.example/')).toBe(true);
    }
  });

  it('never opens new windows; allow-listed https links go to the browser', () => {
    const contents = app.createWebContents();
    const open = contents.windowOpenHandler;
    expect(open?.({ url: 'https://huggingface.co/models' })).toEqual({ action: 'deny' });
    expect(open?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(open?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(open?.({ url: `${appUrl}#/chat` })).toEqual({ action: 'deny' });
    expect(shell.opened).toEqual(['https://huggingface.co/models']);
  });

  it('keeps the top frame on app pages, handing a clicked allow-listed link to the browser once', () => {
    const contents = app.createWebContents();
    expect(contents.navigate('app://hearth/index.html#/settings')).toBe(false);
    expect(contents.navigate('https://github.com/hearth')).toBe(true);
    expect(contents.navigate('https://evil.example/')).toBe(true);
    expect(contents.navigate('file:///etc/passwd')).toBe(true);
    expect(contents.navigate('app://other/index.html')).toBe(true);
    expect(shell.opened).toEqual(['https://github.com/hearth']);
  });

  it('keeps every subframe on app pages and opens nothing for them', () => {
    const contents = app.createWebContents();
    expect(contents.navigate('app://hearth/index.html', { isMainFrame: false })).toBe(false);
    expect(contents.navigate('https://github.com/hearth', { isMainFrame: false })).toBe(true);
    expect(contents.navigate('https://evil.example/', { isMainFrame: false })).toBe(true);
    expect(contents.navigate('data:text/html,<script>1</script>', { isMainFrame: false })).toBe(true);
    expect(shell.opened).toEqual([]);
  });

  it('stops redirects that would leave the app, in any frame', () => {
    const contents = app.createWebContents();
    expect(contents.redirect('app://hearth/index.html')).toBe(false);
    expect(contents.redirect('https://evil.example/')).toBe(true);
    expect(contents.redirect('https://huggingface.co/', { isMainFrame: false })).toBe(true);
    expect(shell.opened).toEqual([]);
  });

  it('gives each session the permission handlers, once', () => {
    const other = new MockSession();
    app.createWebContents(other);
    app.createWebContents(other);
    expect(other.installs).toBe(1);
    expect(other.requestHandler).not.toBeNull();
    expect(other.checkHandler).not.toBeNull();
  });
});

describe('guards in development', () => {
  it('treat the dev server origin as the app, and nothing else', () => {
    const app = new MockApp();
    guardAllWebContents(app as never, { appUrl: 'http://localhost:5173/', shell: new MockShell() });
    const contents = app.createWebContents(new MockSession());
    expect(contents.navigate('http://localhost:5173/#/chat')).toBe(false);
    expect(contents.redirect('http://localhost:5173/index.html')).toBe(false);
    expect(contents.navigate('http://localhost:5174/')).toBe(true);
    expect(contents.navigate('app://hearth/index.html')).toBe(true);
  });
});

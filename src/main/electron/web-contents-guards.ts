import type { App, Session, Shell, WebContents } from 'electron';
import { installPermissionHandlers } from './permissions';
import { isAllowedExternalUrl, isAppUrl } from './security';

export interface GuardOptions {
  /** The page Hearth shows: app://hearth/index.html, or the dev server's URL in development. */
  appUrl: string;
  shell: Pick<Shell, 'openExternal'>;
}

export type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'> & { session: Session };

/**
 * Keeps one web contents on Hearth's own pages: no new windows, no navigation, frame navigation or
 * redirect elsewhere, no <webview>. Allow-listed https links the user clicks open in their browser.
 */
export function guardWebContents(contents: GuardedContents, options: GuardOptions): void {
  const isApp = (url: string): boolean => isAppUrl(url, options.appUrl);
  const openOutside = (url: string): void => {
    if (isAllowedExternalUrl(url)) void options.shell.openExternal(url);
  };
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
  // Electron asks will-navigate first for the top frame; only a link there may go to the browser.
  contents.on('will-navigate', (event) => {
    if (isApp(event.url)) return;
    event.preventDefault();
    openOutside(event.url);
  });
  // Every frame, top or not, and every server redirect stays inside the app; nothing opens outside.
  contents.on('will-frame-navigate', (event) => {
    if (!isApp(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isApp(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * Guards every web contents the app ever creates (windows, devtools, anything a bug might open),
 * not only the main window, and gives each session the permission handlers once.
 */
export function guardAllWebContents(app: Pick<App, 'on'>, options: GuardOptions): void {
  const secured = new WeakSet<Session>();
  app.on('web-contents-created', (_event, contents) => {
    guardWebContents(contents, options);
    if (secured.has(contents.session)) return;
    secured.add(contents.session);
    installPermissionHandlers(contents.session, (url) => isAppUrl(url, options.appUrl));
  });
}

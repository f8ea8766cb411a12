import type { IpcMainInvokeEvent } from 'electron';

/** Sites a link in Hearth may open in the user's browser; everything else is refused. */
const externalHosts = ['huggingface.co', 'github.com', 'ollama.com'];

export function isAllowedExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username || url.password) return false;
  const host = url.hostname.toLowerCase();
  return externalHosts.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
}

/**
 * True when `url` is a page of the app itself: the scheme and host of the app's entry
 * (app://hearth, or the dev server's origin). file: has no host, so it never matches.
 */
export function isAppUrl(url: string, appBaseUrl: string): boolean {
  try {
    const target = new URL(url);
    const base = new URL(appBaseUrl);
    // Compared by parts: URL.origin is "null" for custom schemes such as app:.
    return base.host !== '' && target.protocol === base.protocol && target.host === base.host;
  } catch {
    return false;
  }
}

export interface SenderWindow {
  webContents: { id: number; mainFrame: unknown };
}

/** IPC is answered only for our window's top frame showing our own page. */
export function createSenderCheck(getWindow: () => SenderWindow | undefined, appBaseUrl: string) {
  return (event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>): boolean => {
    const window = getWindow();
    const frame = event.senderFrame;
    if (!window || !frame) return false;
    return (
      event.sender.id === window.webContents.id &&
      frame === window.webContents.mainFrame &&
      isAppUrl(frame.url, appBaseUrl)
    );
  };
}

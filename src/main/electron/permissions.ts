import type { Session } from 'electron';

/**
 * What Hearth's own pages may use: the copy buttons call navigator.clipboard.writeText. Camera,
 * microphone, notifications, geolocation, devices, clipboard reading and the rest are refused.
 */
export const grantedPermissions: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export type PermissionSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
>;

/** Installs both handlers (Electron asks one or the other depending on the API) and refuses devices. */
export function installPermissionHandlers(
  session: PermissionSession,
  isAppUrl: (url: string) => boolean,
): void {
  const allowed = (permission: string, url: string): boolean =>
    grantedPermissions.has(permission) && isAppUrl(url);
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(allowed(permission, details.requestingUrl));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    allowed(permission, requestingOrigin),
  );
  session.setDevicePermissionHandler(() => false);
}

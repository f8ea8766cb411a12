import { beforeEach, describe, expect, it } from 'vitest';
import { installPermissionHandlers } from '../../../../src/main/electron/permissions';
import { isAppUrl } from '../../../../src/main/electron/security';
import { MockSession } from '../../../mocks/electron';

const appUrl = 'app://hearth/index.html';
const page = 'app://hearth/index.html#/chat';

describe('permission handlers', () => {
  let session: MockSession;

  beforeEach(() => {
    session = new MockSession();
    installPermissionHandlers(session as never, (url) => isAppUrl(url, appUrl));
  });

  it('lets Hearth pages write to the clipboard (the copy buttons)', async () => {
    expect(await session.request('clipboard-sanitized-write', page)).toBe(true);
    expect(session.check('clipboard-sanitized-write', 'app://hearth')).toBe(true);
  });

  it('denies everything else Hearth does not use, even to its own pages', async () => {
    for (const permission of [
      'media',
      'notifications',
      'geolocation',
      'clipboard-read',
      'openExternal',
      'fullscreen',
      'midiSysex',
      'hid',
      'serial',
      'usb',
      'display-capture',
      'unknown',
    ]) {
      expect(await session.request(permission, page), permission).toBe(false);
      expect(session.check(permission, 'app://hearth'), permission).toBe(false);
    }
    expect(session.deviceHandler?.({})).toBe(false);
  });

  it('grants nothing to pages that are not Hearth', async () => {
    expect(await session.request('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(session.check('clipboard-sanitized-write', 'https://evil.example')).toBe(false);
    expect(session.check('clipboard-sanitized-write', 'file://')).toBe(false);
  });
});

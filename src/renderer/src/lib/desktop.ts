import type { DesktopBridge } from '../../../preload/api';

/**
 * The desktop shell's extras (file dialog, dropped files' paths), or undefined in a browser. Present
 * exactly when the transport is 'ipc' (pickTransport chooses by the same window.hearth).
 */
export const desktopBridge = (): DesktopBridge | undefined => window.hearth;

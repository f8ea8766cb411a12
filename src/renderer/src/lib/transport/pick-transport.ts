import type { HearthBridge } from '../../../../shared/contract';
import { createWebTransport } from './web-transport';

/** Electron's preload bridge when present, otherwise HTTP + WebSocket to the server that served this page. */
export function pickTransport(win: Window): { bridge: HearthBridge; kind: 'ipc' | 'web' } {
  if (win.hearth) return { bridge: win.hearth, kind: 'ipc' };
  return { bridge: createWebTransport({ baseUrl: win.location.origin }), kind: 'web' };
}

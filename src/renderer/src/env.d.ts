/// <reference types="vite/client" />
import type { DesktopBridge } from '../../preload/api';

declare global {
  interface Window {
    /** Present only inside the Electron shell (set by the preload). */
    hearth?: DesktopBridge;
  }
}

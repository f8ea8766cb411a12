/// <reference types="vite/client" />
import type { HearthBridge } from '../../shared/contract';

declare global {
  interface Window {
    /** Present only inside the Electron shell (set by the preload). */
    hearth?: HearthBridge;
  }
}

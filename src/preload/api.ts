import type { HearthBridge } from '../shared/contract/bridge';

/**
 * What the preload exposes as `window.hearth`: the contract, plus the two things only the desktop
 * can do. Types only (no electron import), so the renderer's typecheck can see it.
 */
export interface DesktopBridge extends HearthBridge {
  /** Opens the system's file dialog for one GGUF file: its path, or null when cancelled. */
  pickModelFile(): Promise<string | null>;
  /** The path of a dropped file on this computer; '' when it is not a file on disk. */
  pathForFile(file: File): string;
}

import type {
  BaseWindow,
  Dialog,
  IpcMain,
  IpcMainInvokeEvent,
  OpenDialogOptions,
  WebContents,
} from 'electron';
import { ipcChannels } from '../../shared/contract/bridge';

export const modelFileDialogOptions: OpenDialogOptions = {
  title: 'Import a model',
  properties: ['openFile'],
  filters: [{ name: 'GGUF models', extensions: ['gguf'] }],
};

export interface ModelFileDialogDeps {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  dialog: Pick<Dialog, 'showOpenDialog'>;
  /** The same check as the contract's IPC: our window's top frame at our own URL. */
  isTrustedSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>): boolean;
  /** The window showing `contents` (BrowserWindow.fromWebContents), so the dialog is its sheet. */
  windowOf(contents: WebContents): BaseWindow | null;
}

/**
 * Answers the preload's pickModelFile with the system's open dialog. It only hands back a path: the
 * renderer passes it to library.import, whose path guard checks it like any other client's path.
 */
export function bindModelFileDialog(deps: ModelFileDialogDeps): () => void {
  deps.ipcMain.handle(ipcChannels.pickModelFile, async (event): Promise<string | null> => {
    if (!deps.isTrustedSender(event)) throw new Error('This sender may not open the file dialog');
    // A trusted sender is our window's, so there is always one to attach the dialog to.
    const window = deps.windowOf(event.sender);
    if (!window) return null;
    const result = await deps.dialog.showOpenDialog(window, modelFileDialogOptions);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  });
  return () => deps.ipcMain.removeHandler(ipcChannels.pickModelFile);
}

import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { ipcChannels, type EventMessage } from '../shared/contract/bridge';
import type { DesktopBridge } from './api';

// The renderer gets exactly these functions: no ipcRenderer, no Node, no channel names of its choosing.
const bridge: DesktopBridge = {
  invoke: (route, input) => ipcRenderer.invoke(ipcChannels.invoke, { route, input }),
  on(listener) {
    const handler = (_event: unknown, message: EventMessage): void => listener(message);
    ipcRenderer.on(ipcChannels.event, handler);
    return () => {
      ipcRenderer.removeListener(ipcChannels.event, handler);
    };
  },
  pickModelFile: () => ipcRenderer.invoke(ipcChannels.pickModelFile) as Promise<string | null>,
  pathForFile(file) {
    // Sandboxed pages no longer see File.path; webUtils throws for anything that is not a File.
    try {
      return webUtils.getPathForFile(file);
    } catch {
      return '';
    }
  },
};

contextBridge.exposeInMainWorld('hearth', bridge);

import { contextBridge, ipcRenderer } from 'electron';
import { ipcChannels, type EventMessage, type HearthBridge } from '../shared/contract/bridge';

// The renderer gets exactly two functions: no ipcRenderer, no Node, no channel names of its choosing.
const bridge: HearthBridge = {
  invoke: (route, input) => ipcRenderer.invoke(ipcChannels.invoke, { route, input }),
  on(listener) {
    const handler = (_event: unknown, message: EventMessage): void => listener(message);
    ipcRenderer.on(ipcChannels.event, handler);
    return () => {
      ipcRenderer.removeListener(ipcChannels.event, handler);
    };
  },
};

contextBridge.exposeInMainWorld('hearth', bridge);

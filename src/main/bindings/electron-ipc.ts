import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { ipcChannels, type EventMessage, type Result } from '../../shared/contract';
import type { EventBus } from '../events/event-bus';
import type { Router } from '../router/router';

export interface IpcBindingOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  router: Router;
  events: EventBus;
  /** True only for our own window's main frame at our own URL. */
  isTrustedSender(event: IpcMainInvokeEvent): boolean;
  /** The windows that receive events. */
  targets(): WebContents[];
}

/** The contract over Electron IPC: one invoke channel in, one event channel out. */
export function bindIpc(options: IpcBindingOptions): () => void {
  options.ipcMain.handle(ipcChannels.invoke, async (event, payload: unknown): Promise<Result<unknown>> => {
    if (!options.isTrustedSender(event)) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'This sender may not call Hearth' } };
    }
    if (
      typeof payload !== 'object' ||
      payload === null ||
      typeof (payload as { route?: unknown }).route !== 'string'
    ) {
      return { ok: false, error: { code: 'BAD_INPUT', message: 'Expected { route, input }' } };
    }
    const { route, input } = payload as { route: string; input?: unknown };
    return options.router.invoke(route, input);
  });
  const unsubscribe = options.events.subscribe((name, payload) => {
    const message: EventMessage = { name, payload };
    for (const contents of options.targets()) {
      if (!contents.isDestroyed()) contents.send(ipcChannels.event, message);
    }
  });
  return () => {
    unsubscribe();
    options.ipcMain.removeHandler(ipcChannels.invoke);
  };
}

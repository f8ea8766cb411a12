import { useEffect, useRef, useState } from 'react';
import type { DesktopBridge } from '../../../../preload/api';
import { formatBytes } from '../../../../shared/domain/format';
import { draggingFiles, planModelDrop } from './model-drop';
import { useImportModel } from './use-import-model';

export interface DropEntry {
  key: number;
  name: string;
  status: 'importing' | 'done' | 'failed';
  message: string;
}

export const browserDropMessage =
  'A browser cannot hand Hearth its files. Under My models → Import, type the path of the file on the machine running Hearth.';

/**
 * Window-wide file drops: files dragged over the window show the overlay, a drop imports its
 * .gguf files one after another (copied), and the browser never navigates to a dropped file.
 */
export function useModelDrop(desktop: DesktopBridge | undefined): {
  dragging: boolean;
  entries: DropEntry[];
  dismiss(): void;
} {
  const importModel = useImportModel();
  const [dragging, setDragging] = useState(false);
  const [entries, setEntries] = useState<DropEntry[]>([]);
  const nextKey = useRef(0);

  useEffect(() => {
    const add = (name: string, status: DropEntry['status'], message: string): number => {
      const key = nextKey.current++;
      setEntries((list) => [...list, { key, name, status, message }]);
      return key;
    };
    const update = (key: number, status: DropEntry['status'], message: string): void =>
      setEntries((list) => list.map((e) => (e.key === key ? { ...e, status, message } : e)));

    const importDropped = async (files: File[]): Promise<void> => {
      if (!desktop) {
        add(files.map((f) => f.name).join(', ') || 'Dropped file', 'failed', browserDropMessage);
        return;
      }
      const plan = planModelDrop(files, (file) => desktop.pathForFile(file));
      for (const reason of plan.refused) add('Not imported', 'failed', reason);
      for (const file of plan.imports) {
        const key = add(file.name, 'importing', `Copying ${formatBytes(file.sizeBytes)} into your models…`);
        try {
          const model = await importModel(file.path, 'copy');
          update(key, 'done', `Added ${model.name} to your models`);
        } catch (error) {
          update(key, 'failed', error instanceof Error ? error.message : String(error));
        }
      }
    };

    // dragenter and dragleave fire for every element crossed: counted, they say when the drag leaves.
    let depth = 0;
    const carriesFiles = (event: DragEvent): boolean =>
      draggingFiles(Array.from(event.dataTransfer?.types ?? []));
    const onEnter = (event: DragEvent): void => {
      if (!carriesFiles(event)) return;
      depth++;
      setDragging(true);
    };
    const onOver = (event: DragEvent): void => {
      if (!carriesFiles(event) || !event.dataTransfer) return;
      event.preventDefault(); // Allows the drop.
      event.dataTransfer.dropEffect = desktop ? 'copy' : 'none';
    };
    const onLeave = (event: DragEvent): void => {
      if (!carriesFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const onDrop = (event: DragEvent): void => {
      if (!carriesFiles(event)) return;
      event.preventDefault(); // Else the page would be replaced by the dropped file.
      depth = 0;
      setDragging(false);
      void importDropped(Array.from(event.dataTransfer?.files ?? []));
    };
    const listeners = [
      ['dragenter', onEnter],
      ['dragover', onOver],
      ['dragleave', onLeave],
      ['drop', onDrop],
    ] as const;
    for (const [name, listener] of listeners) window.addEventListener(name, listener);
    return () => {
      for (const [name, listener] of listeners) window.removeEventListener(name, listener);
    };
  }, [desktop, importModel]);

  return {
    dragging,
    entries,
    dismiss: () => setEntries((list) => list.filter((e) => e.status === 'importing')),
  };
}

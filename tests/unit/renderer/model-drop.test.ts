import { describe, expect, it } from 'vitest';
import { draggingFiles, planModelDrop } from '../../../src/renderer/src/features/models/model-drop';

interface Dropped {
  name: string;
  size: number;
  /** Where the file is on disk; '' for files that are not (made in a page, from an archive). */
  path: string;
}
const file = (name: string, path = `/home/ana/Downloads/${name}`, size = 1_000): Dropped => ({
  name,
  size,
  path,
});
const plan = (...files: Dropped[]) => planModelDrop(files, (f) => f.path);

describe('a drop on the window', () => {
  it('imports a dropped .gguf from its place on disk, whatever the case of its extension', () => {
    expect(plan(file('Qwen3-8B-Q4_K_M.gguf', '/m/Qwen3-8B-Q4_K_M.gguf', 5e9), file('tiny.GGUF'))).toEqual({
      imports: [
        { name: 'Qwen3-8B-Q4_K_M.gguf', path: '/m/Qwen3-8B-Q4_K_M.gguf', sizeBytes: 5e9 },
        { name: 'tiny.GGUF', path: '/home/ana/Downloads/tiny.GGUF', sizeBytes: 1_000 },
      ],
      refused: [],
    });
  });

  it('leaves out what is not a model, saying why, and still imports the models beside it', () => {
    const result = plan(file('notes.txt'), file('model.gguf'), file('model.gguf.zip'));
    expect(result.imports.map((i) => i.name)).toEqual(['model.gguf']);
    expect(result.refused).toEqual([
      'notes.txt is not a GGUF model file (.gguf)',
      'model.gguf.zip is not a GGUF model file (.gguf)',
    ]);
  });

  it('refuses a .gguf that has no path on this computer rather than sending an empty path', () => {
    const result = plan(file('from-a-web-page.gguf', ''));
    expect(result.imports).toEqual([]);
    expect(result.refused).toEqual([expect.stringContaining('from-a-web-page.gguf is not a file on')]);
  });

  it('imports a split model once, through its first part', () => {
    const parts = [1, 2, 3].map((i) => file(`big-Q4_K_M-0000${i}-of-00003.gguf`));
    expect(plan(...parts).imports.map((i) => i.name)).toEqual(['big-Q4_K_M-00001-of-00003.gguf']);
    // A later part alone goes to main, which says to import the first.
    expect(plan(parts[1]!).imports.map((i) => i.name)).toEqual(['big-Q4_K_M-00002-of-00003.gguf']);
  });

  it('reacts to drags of files only, not to dragged text or links', () => {
    expect(draggingFiles(['Files'])).toBe(true);
    expect(draggingFiles(['text/plain', 'text/uri-list'])).toBe(false);
    expect(draggingFiles([])).toBe(false);
  });
});

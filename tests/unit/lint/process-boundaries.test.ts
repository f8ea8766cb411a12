import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('lint: process boundaries', () => {
  it('fails a service that imports electron', async () => {
    expect(
      await ruleIds(
        'src/main/services/hub/hub-client.ts',
        "import { app } from 'electron';\nexport const p = app;\n",
      ),
    ).toContain('no-restricted-imports');
    expect(
      await ruleIds(
        'src/main/router/x.ts',
        "import { ipcMain } from 'electron/main';\nexport const i = ipcMain;\n",
      ),
    ).toContain('no-restricted-imports');
  });

  it('lets the shell, the IPC binding and the preload import electron', async () => {
    const code = "import { app } from 'electron';\nexport const p = app;\n";
    expect(await ruleIds('src/main/electron/menu.ts', code)).toEqual([]);
    expect(await ruleIds('src/main/bindings/electron-ipc.ts', code)).toEqual([]);
    expect(await ruleIds('src/preload/index.ts', code)).toEqual([]);
  });

  it('keeps src/shared free of Node and DOM', async () => {
    expect(
      await ruleIds(
        'src/shared/domain/x.ts',
        "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
      ),
    ).toContain('no-restricted-imports');
    expect(
      await ruleIds('src/shared/domain/x.ts', "import path from 'path';\nexport const r = path;\n"),
    ).toContain('no-restricted-imports');
    expect(await ruleIds('src/shared/domain/x.ts', 'export const w = window.location.href;\n')).toContain(
      'no-restricted-globals',
    );
    expect(await ruleIds('src/shared/domain/x.ts', 'export const e = process.env;\n')).toContain(
      'no-restricted-globals',
    );
    expect(
      await ruleIds('src/shared/domain/x.ts', "import { z } from 'zod';\nexport const s = z.string();\n"),
    ).toEqual([]);
  });

  it('keeps Node out of the renderer', async () => {
    expect(
      await ruleIds(
        'src/renderer/src/x.ts',
        "import { readFileSync } from 'fs';\nexport const r = readFileSync;\n",
      ),
    ).toContain('no-restricted-imports');
  });
});

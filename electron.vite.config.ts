import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        // One build, three entries: the Electron shell, the `hearth` CLI, and the engine process.
        input: {
          index: resolve('src/main/electron/main.ts'),
          cli: resolve('src/main/cli/index.ts'),
          engine: resolve('src/main/engine-process/entry.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts') },
        // Sandboxed preloads must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: {
      rolldownOptions: { input: resolve('src/renderer/index.html') },
      // electron-vite leaves the renderer unminified: 2.4 MB of script to parse before the first paint.
      minify: true,
    },
    plugins: [react(), tailwindcss()],
  },
});

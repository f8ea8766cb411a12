import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { BenchContext } from './common';

const run = promisify(execFile);

/**
 * llama.cpp's own llama-bench, built (CPU only) from the exact sources node-llama-cpp's binaries
 * come from (the git bundle it ships), in a cache folder outside the repo. Null where cmake is missing.
 */
export async function llamaBench(
  ctx: BenchContext,
  modelPath: string,
  threads: number,
  generate: number,
): Promise<Record<string, unknown> | null> {
  try {
    execFileSync('cmake', ['--version'], { stdio: 'ignore' });
  } catch {
    ctx.progress('llama-bench skipped: cmake is not installed');
    return null;
  }
  const bundle = fileURLToPath(
    new URL('../node_modules/node-llama-cpp/llama/gitRelease.bundle', import.meta.url),
  );
  if (!existsSync(bundle)) {
    ctx.progress('llama-bench skipped: node-llama-cpp ships no llama.cpp source bundle');
    return null;
  }
  const root = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'hearth-bench');
  const source = join(root, 'llama.cpp');
  const binary = join(source, 'build', 'bin', 'llama-bench');
  if (!existsSync(binary)) {
    mkdirSync(root, { recursive: true });
    if (!existsSync(source)) {
      ctx.progress("cloning llama.cpp from node-llama-cpp's bundle");
      await run('git', ['clone', '--quiet', bundle, source]);
    }
    ctx.progress('building llama-bench (CPU only; several minutes the first time)');
    await run(
      'cmake',
      [
        '-S',
        source,
        '-B',
        join(source, 'build'),
        '-DCMAKE_BUILD_TYPE=Release',
        '-DGGML_NATIVE=ON',
        '-DLLAMA_CURL=OFF',
        '-DGGML_OPENMP=OFF',
        '-DLLAMA_BUILD_TESTS=OFF',
      ],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    await run('cmake', ['--build', join(source, 'build'), '--target', 'llama-bench', '-j', '2'], {
      maxBuffer: 64 * 1024 * 1024,
    });
  }
  ctx.progress('running llama-bench');
  const { stdout } = await run(
    binary,
    [
      '-m',
      modelPath,
      '-p',
      '128,512',
      '-n',
      String(generate),
      '-t',
      String(threads),
      '-r',
      '3',
      '-o',
      'json',
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const rows = JSON.parse(stdout) as { n_prompt: number; n_gen: number; avg_ts: number }[];
  return {
    promptTps: Object.fromEntries(rows.filter((r) => r.n_prompt > 0).map((r) => [r.n_prompt, r.avg_ts])),
    generationTps: rows.find((r) => r.n_gen > 0)?.avg_ts ?? null,
    note: "OpenMP off, like node-llama-cpp's prebuilt binaries",
  };
}

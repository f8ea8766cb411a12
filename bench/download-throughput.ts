import { fork } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { downloadFile } from '../src/main/services/downloads/file-download';
import { HubClient } from '../src/main/services/hub/hub-client';
import { sha256File } from '../tests/helpers/download-fixtures';
import { benchCacheDir, type BenchContext } from './common';

const MiB = 1024 * 1024;

/** Hearth's verified, resumable download vs a plain fetch of the same file on loopback. Target: ratio >= 0.8. */
export async function downloadThroughput(ctx: BenchContext): Promise<Record<string, unknown>> {
  const dir = join(benchCacheDir, 'download');
  mkdirSync(dir, { recursive: true });
  const source = join(dir, 'source.bin');
  const size = 256 * MiB;
  ctx.progress(`writing a ${size / MiB} MiB file`);
  const block = Buffer.alloc(MiB);
  for (let i = 0; i < block.length; i++) block[i] = (i * 31) & 0xff;
  writeFileSync(source, Buffer.concat(Array.from({ length: size / MiB }, () => block)));
  const sha256 = sha256File(source);
  // The Hub runs in its own process, as a real server would: it must not share our thread.
  const repos = [{ id: 'bench/Throughput-GGUF', files: [{ path: 'model-Q4_K_M.gguf', diskPath: source }] }];
  const server = fork(
    fileURLToPath(new URL('../tests/fixtures/fake-hub/serve-fake-hub.ts', import.meta.url)),
    [JSON.stringify(repos)],
    { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const url = await new Promise<string>((resolve) =>
    server.once('message', (m) => resolve((m as { url: string }).url)),
  );
  const client = new HubClient({ endpoint: url });
  const locate = async (): Promise<string> =>
    (await client.fileMetadata('bench/Throughput-GGUF', 'main', 'model-Q4_K_M.gguf')).location;
  const target = join(dir, 'out.bin');
  const runs: { plainMBs: number; hearthMBs: number }[] = [];
  try {
    for (let rep = 0; rep < 5; rep++) {
      rmSync(target, { force: true });
      let started = performance.now();
      const response = await fetch(await locate());
      await pipeline(Readable.fromWeb(response.body as never), createWriteStream(target));
      const plain = performance.now() - started;
      rmSync(target, { force: true });
      started = performance.now();
      await downloadFile({ locate, sha256, size, finalPath: target }, { freeSpaceMarginBytes: 0 });
      const hearth = performance.now() - started;
      runs.push({ plainMBs: size / 1e6 / (plain / 1000), hearthMBs: size / 1e6 / (hearth / 1000) });
      ctx.progress(
        `rep ${rep + 1}: plain ${runs.at(-1)?.plainMBs.toFixed(0)} MB/s, Hearth ${runs.at(-1)?.hearthMBs.toFixed(0)} MB/s (verified)`,
      );
    }
  } finally {
    server.disconnect();
    rmSync(target, { force: true });
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  const plainMBs = median(runs.map((r) => r.plainMBs));
  const hearthMBs = median(runs.map((r) => r.hearthMBs));
  return {
    target: 'Hearth (ranged, sha256-verified, resumable) / plain fetch >= 0.8, same file on loopback',
    fileBytes: size,
    plainMedianMBs: Math.round(plainMBs),
    hearthMedianMBs: Math.round(hearthMBs),
    ratio: Number((hearthMBs / plainMBs).toFixed(3)),
    withinTarget: hearthMBs / plainMBs >= 0.8,
    runs,
  };
}

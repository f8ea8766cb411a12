import type { DownloadJob, EventPayload, HubModelDetails, LibraryModel } from '../../../shared/contract';
import { formatBytes, formatParameters, verdictLabels } from '../../../shared/domain/format';
import { parseModelRef } from '../../../shared/domain/model-ref';
import { safeText } from '../../../shared/domain/safe-text';
import { call, openCliApp, type CliContext } from '../cli-app';
import { progressBar } from '../progress';

interface Common {
  json?: boolean;
  dataDir?: string;
}

/** File names, model names and errors come from files: escaped and bounded before they reach the terminal. */
const shown = (value: string): string => safeText(value, 500);

const table = (unsafeRows: string[][]): string => {
  const rows = unsafeRows.map((r) => r.map(shown));
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
};

export async function searchCommand(
  context: CliContext,
  query: string,
  options: Common & { limit?: number },
): Promise<void> {
  const app = openCliApp(context, options.dataDir);
  try {
    const page = await call<{
      models: { id: string; downloads: number; likes: number; license: string | null; gated: unknown }[];
    }>(app, 'hub.search', { query });
    const models = page.models.slice(0, options.limit ?? 20);
    if (options.json) return console.log(JSON.stringify(models, null, 2));
    if (models.length === 0) return console.log(`No GGUF models match "${query}".`);
    console.log(
      table([
        ['MODEL', 'DOWNLOADS', 'LIKES', 'LICENSE'],
        ...models.map((m) => [
          m.id + (m.gated ? ' (gated)' : ''),
          String(m.downloads),
          String(m.likes),
          m.license ?? '',
        ]),
      ]),
    );
  } finally {
    await app.close();
  }
}

/** "owner/repo:Q4_K_M" or "hf.co/owner/repo:q4_k_m" → repo and optional quant. */
// Shared with the renderer's fit check, which takes the same `owner/repo:QUANT`.
export { parseModelRef };

export async function pullCommand(context: CliContext, ref: string, options: Common): Promise<void> {
  const app = openCliApp(context, options.dataDir);
  const { repo, quant } = parseModelRef(ref);
  try {
    let chosen = quant;
    if (!chosen) {
      const details = await call<HubModelDetails>(app, 'hub.model', { repo });
      if (!details.recommended) throw new Error(`No quant of ${repo} fits this machine`);
      chosen = details.recommended.variant.quant;
      if (!options.json) console.error(`${chosen}: ${details.recommended.reason}`);
    }
    const job = await call<DownloadJob>(app, 'downloads.start', { repo, quant: chosen });
    if (!options.json)
      console.error(`Downloading ${repo} ${job.quant} (${formatBytes(job.bytesTotal)}) to ${job.modelPath}`);
    const bar = progressBar();
    const finished = await new Promise<DownloadJob>((resolve) => {
      const stop = app.events.subscribe((name, payload) => {
        if (name !== 'downloads.changed') return;
        const update = payload as EventPayload<'downloads.changed'>;
        if (update.id !== job.id) return;
        if (update.status === 'downloading' && !options.json)
          bar.update(update.bytesDone, update.bytesTotal, update.bytesPerSecond);
        if (['done', 'failed', 'cancelled', 'paused'].includes(update.status)) {
          stop();
          resolve(update);
        }
      });
      // Ctrl-C pauses: the part stays, and the next pull resumes it.
      process.once('SIGINT', () => void call(app, 'downloads.pause', { id: job.id }));
      if (job.status === 'done') resolve(job);
    });
    if (finished.status === 'done' && !options.json) bar.update(finished.bytesTotal, finished.bytesTotal, 0);
    bar.end();
    if (options.json) console.log(JSON.stringify(finished, null, 2));
    if (finished.status === 'done') {
      if (!options.json) console.log(`Ready: ${finished.modelPath}`);
      return;
    }
    if (finished.status === 'paused') {
      console.error('Paused. Run the same pull again to resume from where it stopped.');
      process.exitCode = 130;
      return;
    }
    throw new Error(finished.error?.message ?? `The download ${finished.status}`);
  } finally {
    await app.close();
  }
}

export async function findModel(app: ReturnType<typeof openCliApp>, ref: string): Promise<LibraryModel> {
  const models = await call<LibraryModel[]>(app, 'library.list');
  const exact = models.find((m) => m.id === ref || m.path === ref);
  if (exact) return exact;
  const matches = models.filter(
    (m) => m.id.toLowerCase().includes(ref.toLowerCase()) || m.name.toLowerCase().includes(ref.toLowerCase()),
  );
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length === 0) throw new Error(`No model matches "${ref}" (see hearth list)`);
  throw new Error(
    `"${shown(ref)}" matches ${matches.length} models:\n${matches.map((m) => `  ${shown(m.id)}`).join('\n')}`,
  );
}

export async function listCommand(context: CliContext, options: Common): Promise<void> {
  const app = openCliApp(context, options.dataDir);
  try {
    const models = await call<LibraryModel[]>(app, 'library.list');
    if (options.json) return console.log(JSON.stringify(models, null, 2));
    if (models.length === 0)
      return console.log('No models yet. Try: hearth search llama, then hearth pull <repo>');
    console.log(
      table([
        ['ID', 'QUANT', 'SIZE', 'SOURCE'],
        ...models.map((m) => [
          m.id,
          m.quant ?? '?',
          formatBytes(m.sizeBytes),
          m.source + (m.readOnly ? ' (read-only)' : '') + (m.error ? ' (unusable)' : ''),
        ]),
      ]),
    );
    const unusable = models.filter((m) => m.error);
    if (unusable.length > 0)
      console.log(
        `\nUnusable (hearth show <id> for details):\n${unusable.map((m) => `  ${shown(m.id)}: ${shown(m.error ?? '')}`).join('\n')}`,
      );
  } finally {
    await app.close();
  }
}

export async function showCommand(context: CliContext, ref: string, options: Common): Promise<void> {
  const app = openCliApp(context, options.dataDir);
  try {
    const model = await findModel(app, ref);
    if (options.json) return console.log(JSON.stringify(model, null, 2));
    const fit = model.error ? undefined : await app.estimator.fit({ modelPath: model.path });
    const lines = [
      `${shown(model.name)}`,
      `  id            ${shown(model.id)}`,
      `  file          ${shown(model.path)}${model.files.length > 1 ? ` (+${model.files.length - 1} parts)` : ''}`,
      `  architecture  ${shown(model.architecture ?? '?')}`,
      `  parameters    ${model.parameters ? formatParameters(model.parameters) : '?'}`,
      `  quant         ${model.quant ?? '?'}`,
      `  context       ${model.contextLength ?? '?'} tokens`,
      `  chat template ${model.hasChatTemplate ? 'yes' : 'no'}`,
      `  licence       ${shown(model.license ?? 'unknown')}`,
      `  size          ${formatBytes(model.sizeBytes)}`,
      `  source        ${model.source}${model.readOnly ? ' (read-only)' : ''}`,
    ];
    if (model.error) lines.push(`  unusable      ${shown(model.error)}`);
    if (fit)
      lines.push(
        `  fit           ${verdictLabels[fit.verdict]} (${fit.gpuLayers}/${fit.totalLayers} layers, ~${fit.speed.generationTps?.toFixed(1) ?? '?'} tokens/s)`,
      );
    console.log(lines.join('\n'));
  } finally {
    await app.close();
  }
}

export async function rmCommand(context: CliContext, ref: string, options: Common): Promise<void> {
  const app = openCliApp(context, options.dataDir);
  try {
    const model = await findModel(app, ref);
    const { deleted } = await call<{ deleted: string[] }>(app, 'library.delete', { id: model.id });
    console.log(
      `Deleted ${shown(model.name)} (${deleted.length} file${deleted.length > 1 ? 's' : ''}, ${formatBytes(model.sizeBytes)})`,
    );
  } finally {
    await app.close();
  }
}

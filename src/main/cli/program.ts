import { Command, InvalidArgumentError } from 'commander';
import { parseGpuList } from '../../shared/domain/gpu-list';
import { fitCommand, type FitCommandOptions } from './commands/fit';
import { hwCommand } from './commands/hw';
import { benchCommand, type BenchOptions } from './commands/bench';
import { catalogCheckCommand, type CatalogCheckOptions } from './commands/catalog';
import { runCommand, type RunOptions } from './commands/run';
import { topCommand, type TopOptions } from './commands/top';
import { listCommand, pullCommand, rmCommand, searchCommand, showCommand } from './commands/models';
import { remoteListCommand, remoteRunCommand, type RemoteOptions } from './commands/remote';
import { lanKeyProblem } from '../bindings/lan-key';
import type { CliContext } from './cli-app';
import { serve, type ServeOptions } from './serve';

/** `hearth bench` measures these prompt sizes unless told others. */
const promptDefaults = [128, 512];

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('must be a port number 0-65535');
  return port;
}

export function buildProgram(context: CliContext): Command {
  const { version } = context;
  const program = new Command('hearth')
    .description('Hearth: your AI, at home. Run local AI models privately on your own machine.')
    .version(version, '-v, --version', 'print the version')
    // Hearth's own options only before the command: otherwise a value such as `--lan-key -vX…` or
    // `--system "-v…"` after it reads as -v and prints the version instead of running.
    .enablePositionalOptions()
    .showHelpAfterError();
  program
    .command('serve')
    .description(
      'serve the Hearth app and its API over HTTP on this machine (open the printed URL in a browser)',
    )
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', parsePort, 7860)
    .option('--host <host>', 'address to listen on; anything but loopback needs a LAN key', '127.0.0.1')
    .option(
      '--lan-key <key>',
      'key clients must present: 22+ characters, 32+ if hex (generated when --host is not loopback; or set HEARTH_LAN_KEY)',
      parseLanKey,
    )
    .option(
      '--data-dir <dir>',
      'where Hearth keeps its data (default: the OS app-data folder, or HEARTH_DATA_DIR)',
    )
    .option('--no-api', 'serve the app only, without the OpenAI- and Ollama-compatible API')
    .option(
      '--allow-origin <origins...>',
      'browser origins allowed to call the API, e.g. http://localhost:3000 (or HEARTH_ALLOWED_ORIGINS)',
    )
    .option(
      '--admin-key <key>',
      'key that may pull and delete models over the network (or HEARTH_ADMIN_KEY)',
      parseLanKey,
    )
    .option(
      '--parallel <n>',
      'replies each model generates at once (default: what memory allows)',
      parsePositive,
    )
    .option(
      '--embeddings-from-chat-models',
      'let chat models answer /v1/embeddings and /api/embed too (default: embedding models only)',
    )
    .action(async (opts: ServeCliOptions) => {
      await serve({ ...opts, version, outDir: context.outDir });
    });
  program
    .command('hw')
    .description('show what Hearth sees: CPU, RAM, GPUs and VRAM, backends, disk')
    .option('--json', 'print the full profile as JSON')
    .option('--data-dir <dir>', 'Hearth data folder (for the models disk)')
    .action(hwCommand);
  program
    .command('fit')
    .argument('<model>', 'a .gguf file, or a Hugging Face repo[:quant]')
    .description('will it fit, and how fast will it run? (on this machine, or one you name)')
    .option(
      '--ctx <tokens>',
      "context size to plan for (default: 4096 for a file, 8192 for a repo's quants, or the model's own if smaller)",
      parseContext,
    )
    .option('--gpu <name>', 'plan for another GPU: "RTX 3060 12 GB", "2x Tesla P40", "M2 Max 64GB"')
    .option(
      '--cpu <name>',
      'plan for a CPU and its memory: "Ryzen 9 7950X, DDR5-6000 2ch" (alone: a CPU-only machine)',
    )
    .option('--vram <size>', 'plan for a GPU with this much VRAM: 24GB, 8192MiB')
    .option('--kv <type>', 'KV cache type: f16, q8_0 or q4_0', parseKvType)
    .option('--flash-attention <mode>', 'flash attention: on, off or auto (default)', parseOnOffAuto)
    .option('--batch <tokens>', 'micro-batch size (default 512)', parsePositive)
    .option(
      '--parallel <n>',
      'sequences decoded side by side (API slots), each with the full context',
      parsePositive,
    )
    .option(
      '--gpu-layers <n>',
      'layers to offload, output layer first (default: the most that fit)',
      parseCount,
    )
    .option('--gpus <sizes>', 'free memory of each GPU, replacing those detected: "24GB,12GB"', parseGpus)
    .option('--no-projector', 'leave out a vision projector (mmproj*.gguf) next to the model')
    .option('--json', 'print the full estimate as JSON')
    .option('--data-dir <dir>', 'Hearth data folder')
    .action((model: string, opts: Omit<FitCommandOptions, 'context'>) =>
      fitCommand(model, { ...opts, context }),
    );
  program
    .command('run')
    .argument('<model>', 'a model id from hearth list, or part of its name')
    .argument('[prompt]', 'ask once and print the answer (or pipe a prompt in)')
    .description('chat with a model in the terminal; Ctrl-C stops a reply, /bye quits')
    .option('--system <text>', 'system prompt')
    .option('--temperature <t>', 'sampling temperature', (v) => Number(v))
    .option('--ctx <tokens>', 'context size (default: what fits this machine)', parseContext)
    .option('--verbose', 'print timing and speed after each reply')
    .option('--force', "load it even if Hearth's estimate says it will not fit")
    .option('--data-dir <dir>', 'Hearth data folder')
    .option('--remote <url>', 'chat with a model of another Hearth, Ollama or OpenAI-compatible server')
    .option('--key <key>', "the remote server's key (or HEARTH_REMOTE_KEY)")
    .option('--kind <kind>', "the remote's dialect: hearth, ollama or openai (default: detected)", parseKind)
    .action((model: string, prompt: string | undefined, opts: RunOptions & Partial<RemoteOptions>) =>
      opts.remote
        ? remoteRunCommand(model, prompt, { ...opts, remote: opts.remote })
        : runCommand(context, model, prompt, opts),
    );
  program
    .command('bench')
    .argument('<model>', 'a model id from hearth list, or part of its name')
    .description('measure how fast a model runs here: prompt and generation tokens/s, time to first token')
    .option('--prompt <tokens...>', 'prompt sizes to measure', parsePositiveList, promptDefaults)
    .option('--generate <tokens>', 'tokens to generate each run', parsePositive, 128)
    .option('--reps <n>', 'runs per prompt size (the median is shown)', parsePositive, 3)
    .option('--json', 'print JSON')
    .option('--data-dir <dir>', 'Hearth data folder')
    .action((model: string, opts: BenchOptions) => benchCommand(context, model, opts));
  program
    .command('top')
    .description(
      'watch GPUs, CPU, memory and the running models live, like nvitop (q quits); shows the Hearth served here, or --url',
    )
    .option('--url <url>', 'a running Hearth to watch (default: http://127.0.0.1:7860, or HEARTH_URL)')
    .option('--key <key>', 'its LAN key (or HEARTH_LAN_KEY)')
    .option('--once', 'print one reading and exit')
    .option('--json', 'with --once: print the reading as JSON')
    .option(
      '--interval <seconds>',
      'seconds between readings when no Hearth serves here (0.5-5)',
      parseInterval,
      1,
    )
    .action((opts: TopOptions) => topCommand(opts));
  program
    .command('search')
    .argument('<query>', 'words in the model name, e.g. "llama 3.2"')
    .description('search Hugging Face for GGUF models')
    .option('--limit <n>', 'how many results', (v) => Number(v), 20)
    .option('--json', 'print JSON')
    .action((query: string, opts: { limit: number; json?: boolean }) => searchCommand(context, query, opts));
  program
    .command('pull')
    .argument(
      '<model>',
      'a Hugging Face repo, optionally with a quant: bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M',
    )
    .description('download a model (without a quant: the best one for this machine), resumable and verified')
    .option('--json', 'print the finished download as JSON')
    .option('--data-dir <dir>', 'Hearth data folder')
    .action((model: string, opts: { json?: boolean; dataDir?: string }) => pullCommand(context, model, opts));
  program
    .command('list')
    .alias('ls')
    .description(
      'list the models Hearth can run (its own, and those LM Studio, Ollama and the HF cache have)',
    )
    .option('--json', 'print JSON')
    .option('--data-dir <dir>', 'Hearth data folder')
    .option('--remote <url>', 'list the models of another Hearth, Ollama or OpenAI-compatible server')
    .option('--key <key>', "the remote server's key (or HEARTH_REMOTE_KEY)")
    .option('--kind <kind>', "the remote's dialect: hearth, ollama or openai (default: detected)", parseKind)
    .action((opts: { json?: boolean; dataDir?: string } & Partial<RemoteOptions>) =>
      opts.remote ? remoteListCommand({ ...opts, remote: opts.remote }) : listCommand(context, opts),
    );
  program
    .command('show')
    .argument('<model>', 'a model id from hearth list, or part of its name')
    .description("show a model's details and how it fits this machine")
    .option('--json', 'print JSON')
    .option('--data-dir <dir>', 'Hearth data folder')
    .action((model: string, opts: { json?: boolean; dataDir?: string }) => showCommand(context, model, opts));
  program
    .command('catalog')
    .description("Hearth's curated model catalog")
    .command('check')
    .description('check every catalog entry against Hugging Face: repo, files, sizes, sha256')
    .option('--catalog <file>', 'check this catalog file instead of the shipped one')
    .option('--json', 'print the report as JSON (progress goes to stderr)')
    .action((opts: CatalogCheckOptions) => catalogCheckCommand(opts));
  program
    .command('rm')
    .argument('<model>', 'a model id from hearth list, or part of its name')
    .description('delete a downloaded model (models of other tools are never touched)')
    .option('--data-dir <dir>', 'Hearth data folder')
    .action((model: string, opts: { dataDir?: string }) => rmCommand(context, model, opts));
  return program;
}

type ServeCliOptions = Omit<ServeOptions, 'version' | 'outDir'>;

function parseKind(value: string): RemoteOptions['kind'] {
  if (value !== 'hearth' && value !== 'ollama' && value !== 'openai')
    throw new InvalidArgumentError('must be hearth, ollama or openai');
  return value;
}

function parseInterval(value: string): number {
  const n = Number(value);
  if (!(n >= 0.5 && n <= 5)) throw new InvalidArgumentError('must be 0.5 to 5 seconds');
  return n;
}

function parseLanKey(value: string): string {
  const problem = lanKeyProblem(value);
  if (problem)
    throw new InvalidArgumentError(
      `${problem} (without --lan-key, Hearth generates a strong key when --host is not loopback)`,
    );
  return value;
}

function parseContext(value: string): number {
  // "32k" is 32768 tokens, as model cards write context sizes.
  const n = /k$/i.test(value) ? Number(value.slice(0, -1)) * 1024 : Number(value);
  if (!Number.isInteger(n) || n < 256)
    throw new InvalidArgumentError('must be a whole number of tokens, at least 256');
  return n;
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number, at least 1');
  return n;
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n))
    throw new InvalidArgumentError('must be a whole number, 0 or more');
  return n;
}

function parseGpus(value: string): number[] {
  const parsed = parseGpuList(value);
  if (!parsed.ok) throw new InvalidArgumentError(parsed.error);
  return parsed.bytes;
}

function parsePositiveList(value: string, previous: number[] | undefined): number[] {
  // Given values replace the defaults, then accumulate: --prompt 64 256
  const defaults = previous === undefined || previous === promptDefaults;
  return [...(defaults ? [] : previous), parsePositive(value)];
}
function parseOnOffAuto(value: string): 'on' | 'off' | 'auto' {
  if (value === 'on' || value === 'off' || value === 'auto') return value;
  throw new InvalidArgumentError('must be on, off or auto');
}
function parseKvType(value: string): 'f16' | 'q8_0' | 'q4_0' {
  if (value === 'f16' || value === 'q8_0' || value === 'q4_0') return value;
  throw new InvalidArgumentError('must be f16, q8_0 or q4_0');
}

import { Command, InvalidArgumentError } from 'commander';
import { serve } from './serve';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('must be a port number 0-65535');
  return port;
}

export function buildProgram(version: string): Command {
  const program = new Command('hearth')
    .description('Hearth: your AI, at home. Run local AI models privately on your own machine.')
    .version(version, '-v, --version', 'print the version')
    .showHelpAfterError();
  program
    .command('serve')
    .description(
      'serve the Hearth app and its API over HTTP on this machine (open the printed URL in a browser)',
    )
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', parsePort, 7860)
    .option('--host <host>', 'address to listen on; anything but loopback needs a LAN key', '127.0.0.1')
    .option('--lan-key <key>', 'key LAN clients must present (generated when --host is not loopback)')
    .option(
      '--data-dir <dir>',
      'where Hearth keeps its data (default: the OS app-data folder, or HEARTH_DATA_DIR)',
    )
    .action(async (opts: { port: number; host: string; lanKey?: string; dataDir?: string }) => {
      await serve({ ...opts, version });
    });
  return program;
}

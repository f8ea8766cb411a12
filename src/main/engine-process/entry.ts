import { EngineServer } from './engine-server';
import { LlamaEngine, parseGpuSetting } from './llama-engine';
import type { EngineToHost, HostToEngine } from './protocol';

/** Electron's utilityProcess gives the child a parentPort; Node's fork gives it process.send. */
interface ParentPort {
  on(event: 'message', listener: (event: { data: HostToEngine }) => void): void;
  postMessage(message: EngineToHost): void;
}

const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;

function send(message: EngineToHost): void {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
}

const server = new EngineServer(
  new LlamaEngine(parseGpuSetting(process.env.HEARTH_ENGINE_GPU)),
  send,
  (code) => process.exit(code),
);
const onMessage = (message: HostToEngine): void => void server.handle(message);

if (parentPort) parentPort.on('message', (event) => onMessage(event.data));
else process.on('message', (message) => onMessage(message as HostToEngine));

// Without a parent there is nobody to serve: leave rather than linger as an orphan.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', pid: process.pid });

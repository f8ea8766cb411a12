import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLanKey } from '../../src/main/bindings/lan-key';
import { hearthBin, invokeOver, startServe, type ServeProcess } from '../helpers/serve-process';
import { hearthCommand, inTerminal, stopLongReply, waitForOutput } from '../helpers/terminal';
import { makeTempDir } from '../helpers/temp-dir';
import { writeTinyModel } from '../helpers/tiny-model';

interface Msg {
  id: string;
  parentId: string | null;
  role: string;
  content: string;
  status: string;
  stats: { error?: string } | null;
}

/**
 * Two real `hearth serve` processes on loopback: "gpu-box" holds the models and requires a key, the
 * other chats with them through a provider, as a laptop would with the house's GPU box.
 */
describe('chatting with the models of another Hearth', () => {
  const remoteDir = makeTempDir();
  const localDir = makeTempDir();
  const key = generateLanKey();
  let remote: ServeProcess;
  let local: ServeProcess;
  let remoteOrigin: string;
  let providerId: string;
  let tinyId: string;
  let endlessId: string;

  const startRemote = (port = '0') =>
    startServe({
      dataDir: remoteDir.path,
      args: ['--lan-key', key, '--port', port],
      env: { HOME: join(remoteDir.path, 'home') },
    });

  async function invoke<T>(route: string, input?: unknown): Promise<T> {
    const answer = await invokeOver(local.url, route, input);
    if (!answer.ok) throw new Error(`${route}: ${answer.error?.code} ${answer.error?.message}`);
    return answer.value as T;
  }
  const messages = (conversationId: string) => invoke<Msg[]>('chats.messages', { conversationId });
  async function ended(conversationId: string, id: string): Promise<Msg> {
    await expect
      .poll(async () => (await messages(conversationId)).find((m) => m.id === id)?.status, {
        timeout: 60_000,
      })
      .not.toBe('streaming');
    return (await messages(conversationId)).find((m) => m.id === id)!;
  }
  async function streamed(conversationId: string, id: string): Promise<void> {
    await expect
      .poll(async () => (await messages(conversationId)).find((m) => m.id === id)?.content.length ?? 0, {
        timeout: 60_000,
      })
      .toBeGreaterThan(20);
  }

  beforeAll(async () => {
    writeTinyModel(join(remoteDir.path, 'models'));
    writeTinyModel(join(remoteDir.path, 'models'), { endless: true, name: 'Hearth Endless' }, 'endless.gguf');
    [remote, local] = await Promise.all([
      startRemote(),
      startServe({ dataDir: localDir.path, env: { HOME: join(localDir.path, 'home') } }),
    ]);
    remoteOrigin = new URL(remote.url).origin;
  });
  afterAll(async () => {
    await Promise.all([remote?.stop(), local?.stop()]);
    remoteDir.cleanup();
    localDir.cleanup();
  });

  it('adds the other Hearth with its key (tested first), lists its models and reports its health', async () => {
    await expect(invoke('providers.add', { kind: 'hearth', baseUrl: remoteOrigin })).rejects.toThrow(
      /HTTP 401/,
    );
    const provider = await invoke<{ id: string; hasKey: boolean; kind: string }>('providers.add', {
      name: 'gpu-box',
      kind: 'hearth',
      baseUrl: `${remoteOrigin}/v1`,
      key,
    });
    expect(provider).toMatchObject({ kind: 'hearth', hasKey: true });
    providerId = provider.id;
    const list = await invoke<{ id: string }[]>('providers.list');
    expect(list.map((p) => p.id)).toEqual(['local', providerId]);
    expect(JSON.stringify(list)).not.toContain(key);
    const health = await invoke<{ ok: boolean; version: string }>('providers.test', { id: providerId });
    expect(health.ok).toBe(true);
    expect(health.version).toMatch(/^Hearth /);
    const models = await invoke<{ id: string; contextLength: number | null }[]>('providers.models', {
      id: providerId,
    });
    tinyId = models.find((m) => m.id.includes('tiny'))!.id;
    endlessId = models.find((m) => m.id.includes('endless'))!.id;
    expect(models.find((m) => m.id === tinyId)!.contextLength).toBeGreaterThan(0);
  });

  it('chats through it, streams, regenerates as a sibling, and stops', async () => {
    const chat = await invoke<{ id: string; providerId: string }>('chats.create', {
      modelId: tinyId,
      providerId,
    });
    expect(chat.providerId).toBe(providerId);
    const sent = await invoke<{ reply: Msg }>('chats.send', {
      conversationId: chat.id,
      content: 'Hello there',
      sampling: { temperature: 0, maxTokens: 24 },
    });
    const first = await ended(chat.id, sent.reply.id);
    expect(first.status).toBe('done');
    const again = await invoke<Msg>('chats.regenerate', { messageId: first.id });
    const second = await ended(chat.id, again.id);
    expect(second.status).toBe('done');
    expect(second.parentId).toBe(first.parentId);

    await invoke('chats.update', { conversationId: chat.id, modelId: endlessId });
    const long = await invoke<{ reply: Msg }>('chats.send', {
      conversationId: chat.id,
      content: 'Tell me a very long story',
      sampling: { maxTokens: 4000 },
    });
    await streamed(chat.id, long.reply.id);
    expect(await invoke('chats.stop', { messageId: long.reply.id })).toEqual({ stopped: true });
    const stopped = await ended(chat.id, long.reply.id);
    expect(stopped.status).toBe('stopped');
    expect(stopped.content.length).toBeGreaterThan(20);
  });

  it('a remote killed mid-reply leaves the partial reply, interrupted, naming the machine; back on the same port, the next message works', async () => {
    const chat = await invoke<{ id: string }>('chats.create', { modelId: endlessId, providerId });
    const long = await invoke<{ reply: Msg }>('chats.send', {
      conversationId: chat.id,
      content: 'Tell me a very long story',
      sampling: { maxTokens: 4000 },
    });
    await streamed(chat.id, long.reply.id);
    const port = new URL(remoteOrigin).port;
    remote.child.kill('SIGKILL');
    const cut = await ended(chat.id, long.reply.id);
    expect(cut.status).toBe('interrupted');
    expect(cut.content.length).toBeGreaterThan(20);
    expect(cut.stats?.error).toContain(`gpu-box (127.0.0.1:${port}) stopped answering`);

    remote = await startRemote(port);
    await invoke('chats.update', { conversationId: chat.id, modelId: tinyId });
    const next = await invoke<{ reply: Msg }>('chats.send', {
      conversationId: chat.id,
      content: 'Are you back?',
      sampling: { temperature: 0, maxTokens: 16 },
    });
    expect((await ended(chat.id, next.reply.id)).status).toBe('done');
  });

  it('hearth list --remote and hearth run --remote talk to it from the command line', async () => {
    const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn(process.execPath, [hearthBin, ...args], {
          env: { ...process.env, HOME: join(localDir.path, 'home'), ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (err += c.toString()));
        child.on('exit', (code) => resolve({ code, out, err }));
      });
    const listed = await run(['list', '--remote', remoteOrigin, '--key', key]);
    expect(listed.code, listed.err).toBe(0);
    expect(listed.out).toContain(tinyId);
    expect(listed.out).toContain(endlessId);
    const json = JSON.parse(
      (await run(['list', '--remote', remoteOrigin, '--json'], { HEARTH_REMOTE_KEY: key })).out,
    ) as {
      kind: string;
    };
    expect(json.kind).toBe('hearth');
    const refused = await run(['list', '--remote', remoteOrigin]);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/401/);

    const answered = await run(['run', '--remote', remoteOrigin, '--verbose', 'tiny', 'Hello'], {
      HEARTH_REMOTE_KEY: key,
    });
    expect(answered.code, answered.err).toBe(0);
    expect(answered.err).toMatch(/stopped by: (eos|maxTokens)/);

    // Ctrl-C (SIGINT) stops the reply, keeps what was written, and exits cleanly.
    const child = spawn(
      process.execPath,
      [
        hearthBin,
        'run',
        '--remote',
        remoteOrigin,
        '--kind',
        'hearth',
        'endless',
        'Tell me a very long story',
      ],
      {
        env: { ...process.env, HEARTH_REMOTE_KEY: key, HOME: join(localDir.path, 'home') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await expect.poll(() => out.length, { timeout: 60_000 }).toBeGreaterThan(200);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(out.length).toBeGreaterThan(200);
  });

  it('hearth run --remote chats in a terminal: /set, Ctrl-C stops a reply and keeps the session, /bye quits', async () => {
    const term = inTerminal(hearthCommand(['run', '--remote', remoteOrigin, 'endless']), {
      ...process.env,
      HEARTH_REMOTE_KEY: key,
      HOME: join(localDir.path, 'home'),
    });
    let mark = await stopLongReply(term);
    term.type('/set max_tokens 5\r');
    await waitForOutput(term, /Set max_tokens to 5/, mark);
    mark = term.output().length;
    term.type('And then?\r');
    // A short second reply, then the prompt again: the session went on after the stop.
    await waitForOutput(term, /And then\?[\s\S]+>>> /, mark);
    term.type('/bye\r');
    expect(await term.exited).toBe(0);
  });
});

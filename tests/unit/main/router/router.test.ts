import { describe, expect, it, vi } from 'vitest';
import { AppError, routes } from '../../../../src/shared/contract';
import { createRouter, type Handlers } from '../../../../src/main/router/router';

const status = { state: 'idle', pid: null, restarts: 0, modelPath: null, loading: null } as const;
const info = {
  name: 'Hearth',
  version: '1.2.3',
  platform: 'linux',
  arch: 'x64',
  dataDir: '/tmp/x',
  runtime: 'server',
  versions: { node: '20', electron: null, chrome: null },
  startedAt: 1,
} as const;

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  // Every route answers "not used" unless a test gives it a handler.
  const unused = Object.fromEntries(
    Object.keys(routes).map((name) => [
      name,
      () => {
        throw new Error(`${name} is not used in this test`);
      },
    ]),
  ) as unknown as Handlers;
  return {
    ...unused,
    'app.info': () => info,
    'settings.get': () => ({
      theme: 'system',
      modelsDir: null,
      hfToken: null,
      unloadAfterMinutes: 30,
      maxLoadedModels: 1,
      monitorIntervalMs: 1000,
    }),
    'settings.update': (patch) => ({
      theme: 'system',
      modelsDir: null,
      hfToken: null,
      unloadAfterMinutes: 30,
      maxLoadedModels: 1,
      monitorIntervalMs: 1000,
      ...patch,
    }),
    'engine.status': () => status,
    'engine.load': () => ({ modelPath: '/m.gguf', contextSize: 2048, gpuLayers: 0, loadMs: 5 }),
    ...overrides,
  };
}

describe('router', () => {
  it('dispatches a valid request and returns its value', async () => {
    const result = await createRouter(handlers()).invoke('app.info', undefined);
    expect(result).toEqual({ ok: true, value: info });
  });

  it('refuses an unknown route, including inherited object keys', async () => {
    const router = createRouter(handlers());
    for (const name of ['nope.never', 'toString', '__proto__', 'constructor']) {
      const result = await router.invoke(name, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ROUTE' } });
    }
  });

  it('rejects invalid input with a message naming the field, without calling the handler', async () => {
    const update = vi.fn();
    const router = createRouter(handlers({ 'settings.update': update }));
    const result = await router.invoke('settings.update', { theme: 'purple' });
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    if (!result.ok) expect(result.error.message).toContain('theme');
    expect(update).not.toHaveBeenCalled();
    const extra = await router.invoke('settings.update', { theme: 'dark', evil: true });
    expect(extra).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });

  it('applies schema defaults before the handler sees the input', async () => {
    const chat = vi.fn(() => ({
      text: '',
      thought: '',
      notice: null,
      stopReason: 'eos' as const,
      stats: {
        timeToFirstTokenMs: 0,
        promptTokens: 0,
        promptTokensPerSecond: 0,
        generatedTokens: 0,
        generationTokensPerSecond: 0,
        totalMs: 0,
      },
    }));
    await createRouter(handlers({ 'engine.chat': chat })).invoke('engine.chat', {
      requestId: 'r1',
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect(chat).toHaveBeenCalledWith({
      requestId: 'r1',
      messages: [{ role: 'user', content: 'hello' }],
      sampling: { temperature: 0.7, maxTokens: 2048, stop: [] },
    });
  });

  it('maps an AppError to its code and message', async () => {
    const router = createRouter(
      handlers({
        'engine.load': () => {
          throw new AppError('ENGINE_CRASHED', 'boom');
        },
      }),
    );
    expect(await router.invoke('engine.load', { modelId: 'hearth:x.gguf' })).toEqual({
      ok: false,
      error: { code: 'ENGINE_CRASHED', message: 'boom' },
    });
  });

  it('maps unexpected errors to INTERNAL without a stack, and reports them', async () => {
    const onInternalError = vi.fn();
    const router = createRouter(
      handlers({
        'app.info': () => {
          throw new TypeError('bad thing');
        },
      }),
      { onInternalError },
    );
    const result = await router.invoke('app.info', undefined);
    expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'bad thing' } });
    expect(onInternalError).toHaveBeenCalledWith('app.info', expect.any(TypeError));
  });

  it('treats a handler returning a value outside the contract as an internal error', async () => {
    const router = createRouter(handlers({ 'app.info': () => ({ ...info, version: 42 }) as never }), {
      onInternalError: () => {},
    });
    const result = await router.invoke('app.info', undefined);
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});

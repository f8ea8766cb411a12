import { describe, expect, it } from 'vitest';
import { events, isEventName, isRouteName, routes } from '../../../src/shared/contract';

describe('contract', () => {
  it('names every route and event domain.verb', () => {
    for (const name of [...Object.keys(routes), ...Object.keys(events)]) {
      expect(name).toMatch(/^[a-z]+\.[a-z][A-Za-z]*$/);
    }
  });

  it('knows its own route and event names and nothing else', () => {
    expect(isRouteName('app.info')).toBe(true);
    expect(isRouteName('hasOwnProperty')).toBe(false);
    expect(isEventName('app.heartbeat')).toBe(true);
    expect(isEventName('app.info')).toBe(false);
  });

  it('validates engine.load input: absolute sizes in range, nothing extra', () => {
    const input = routes['engine.load'].input;
    expect(input.parse({ modelId: 'hearth:m.gguf' })).toEqual({
      modelId: 'hearth:m.gguf',
    });
    expect(input.safeParse({ modelId: 'hearth:m.gguf', contextSize: 10 }).success).toBe(false);
    expect(input.safeParse({ modelId: 'hearth:m.gguf', gpuLayers: -1 }).success).toBe(false);
    expect(input.safeParse({ modelId: '' }).success).toBe(false);
    expect(input.safeParse({ modelId: 'hearth:m.gguf', shell: 'rm -rf' }).success).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { resolveModelName, withAliases } from '../../../../src/main/api/model-names';
import type { LibraryModel } from '../../../../src/shared/contract';

function model(over: Partial<LibraryModel> & Pick<LibraryModel, 'id' | 'path'>): LibraryModel {
  return {
    name: 'Model',
    files: [over.path],
    sizeBytes: 1,
    source: 'hearth',
    readOnly: false,
    repo: null,
    quant: null,
    architecture: 'llama',
    parameters: 1e9,
    contextLength: 4096,
    hasChatTemplate: true,
    embedding: false,
    toolCalls: false,
    license: null,
    error: null,
    modifiedAt: 0,
    ...over,
  };
}

const library = withAliases([
  model({
    id: 'hearth:bartowski/Llama-3.2-1B-Instruct-GGUF/Llama-3.2-1B-Instruct-Q4_K_M.gguf',
    path: '/m/bartowski/Llama-3.2-1B-Instruct-GGUF/Llama-3.2-1B-Instruct-Q4_K_M.gguf',
    repo: 'bartowski/Llama-3.2-1B-Instruct-GGUF',
    quant: 'Q4_K_M',
  }),
  model({
    id: 'hearth:bartowski/Llama-3.2-1B-Instruct-GGUF/Llama-3.2-1B-Instruct-Q8_0.gguf',
    path: '/m/bartowski/Llama-3.2-1B-Instruct-GGUF/Llama-3.2-1B-Instruct-Q8_0.gguf',
    repo: 'bartowski/Llama-3.2-1B-Instruct-GGUF',
    quant: 'Q8_0',
  }),
  model({ id: 'hearth:tiny.gguf', path: '/m/tiny.gguf' }),
  model({ id: 'hearth:imported/tiny.gguf', path: '/m/imported/tiny.gguf', source: 'imported' }),
  model({
    id: 'ollama:qwen3:8b',
    path: '/o/blobs/sha256-abc',
    source: 'ollama',
    name: 'qwen3:8b',
    quant: 'Q4_K_M',
  }),
]);
const idOf = (name: string) => resolveModelName(name, library)?.model.id;

describe('API model names', () => {
  it('gives each model one Ollama-style alias: Ollama names kept, others base:quant, clashes numbered', () => {
    expect(library.map((m) => m.alias)).toEqual([
      'llama-3.2-1b-instruct:q4_k_m',
      'llama-3.2-1b-instruct:q8_0',
      'tiny-2:latest',
      'tiny:latest',
      'qwen3:8b',
    ]);
  });

  it('accepts the id, the alias with or without its tag, owner/repo[:quant], hf.co/… and the file name', () => {
    const q4 = 'hearth:bartowski/Llama-3.2-1B-Instruct-GGUF/Llama-3.2-1B-Instruct-Q4_K_M.gguf';
    const q8 = 'hearth:bartowski/Llama-3.2-1B-Instruct-GGUF/Llama-3.2-1B-Instruct-Q8_0.gguf';
    expect(idOf(q8)).toBe(q8);
    expect(idOf('llama-3.2-1b-instruct:q8_0')).toBe(q8);
    expect(idOf('Llama-3.2-1B-Instruct:Q8_0')).toBe(q8);
    expect(idOf('bartowski/Llama-3.2-1B-Instruct-GGUF:Q8_0')).toBe(q8);
    expect(idOf('hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:q8_0')).toBe(q8);
    // Without a quant, Q4_K_M is the one people mean.
    expect(idOf('bartowski/Llama-3.2-1B-Instruct-GGUF')).toBe(q4);
    expect(idOf('Llama-3.2-1B-Instruct-Q8_0.gguf')).toBe(q8);
    expect(idOf('Llama-3.2-1B-Instruct-Q8_0')).toBe(q8);
    expect(idOf('qwen3:8b')).toBe('ollama:qwen3:8b');
    expect(idOf('qwen3')).toBe('ollama:qwen3:8b');
    expect(idOf('tiny')).toBe('hearth:imported/tiny.gguf');
  });

  it('finds nothing for paths, traversal or names that are not in the list', () => {
    for (const name of [
      '../../etc/passwd',
      '/dev/zero',
      '/m/tiny.gguf',
      'imported/tiny.gguf',
      'C:\\m\\tiny.gguf',
      'llama-3.2-1b-instruct',
      'gpt-4o',
      'bartowski/Other-GGUF:Q4_K_M',
      '',
    ])
      expect(idOf(name), name).toBeUndefined();
  });
});

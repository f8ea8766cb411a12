import { describe, expect, it } from 'vitest';
import type { FitEstimate, RouteOutput } from '../../../src/shared/contract';
import { pickDefaultModel } from '../../../src/renderer/src/features/chat/default-model';

type LibraryModel = RouteOutput<'library.list'>[number];
type Conversation = RouteOutput<'chats.list'>[number];

const model = (id: string, sizeBytes: number, hasChatTemplate = true): LibraryModel => ({
  id,
  name: id,
  path: `/models/${id}.gguf`,
  files: [`/models/${id}.gguf`],
  sizeBytes,
  source: 'hearth',
  readOnly: false,
  repo: null,
  quant: 'Q4_K_M',
  architecture: 'llama',
  parameters: null,
  contextLength: 4096,
  hasChatTemplate,
  embedding: false,
  toolCalls: false,
  license: null,
  error: null,
  modifiedAt: 0,
});
const chat = (modelId: string | null): Conversation => ({
  id: `c-${modelId}`,
  title: 'A chat',
  modelId,
  providerId: null,
  systemPrompt: null,
  params: {},
  createdAt: 0,
  updatedAt: 0,
});
const fit = (verdict: FitEstimate['verdict']) => ({ verdict }) as FitEstimate;
const fits = (entries: [LibraryModel, FitEstimate | null][]) => new Map(entries.map(([m, f]) => [m.path, f]));

describe('the model a new chat starts on', () => {
  const small = model('small', 1e9);
  const big = model('big', 8e9);
  const huge = model('huge', 40e9);

  it('is the model of the most recent conversation that is still installed', () => {
    const list = [chat('deleted-model'), chat(null), chat('big'), chat('small')];
    expect(pickDefaultModel(list, [small, big, huge], new Map())).toBe('big');
  });

  it('is otherwise the best fit: the largest fully on the GPU, else the smallest partly or on the CPU', () => {
    const all = [small, big, huge];
    expect(
      pickDefaultModel(
        [],
        all,
        fits([
          [small, fit('full-gpu')],
          [big, fit('full-gpu')],
          [huge, fit('partial')],
        ]),
      ),
    ).toBe('big');
    expect(
      pickDefaultModel(
        [],
        all,
        fits([
          [small, fit('cpu-only')],
          [big, fit('partial')],
          [huge, fit('partial')],
        ]),
      ),
    ).toBe('big');
    expect(
      pickDefaultModel(
        [],
        all,
        fits([
          [small, fit('cpu-only')],
          [big, fit('cpu-only')],
          [huge, fit('does-not-fit')],
        ]),
      ),
    ).toBe('small');
    // A model without a chat template answers badly; an estimate that failed ranks last.
    const base = model('base', 2e9, false);
    expect(
      pickDefaultModel(
        [],
        [base, small],
        fits([
          [base, fit('full-gpu')],
          [small, fit('full-gpu')],
        ]),
      ),
    ).toBe('small');
    expect(
      pickDefaultModel(
        [],
        [small, big],
        fits([
          [small, null],
          [big, fit('does-not-fit')],
        ]),
      ),
    ).toBe('big');
  });

  it('waits for what it depends on, and needs no estimate for a single model', () => {
    expect(pickDefaultModel(undefined, [small, big], new Map())).toBeNull();
    expect(pickDefaultModel([], [small, big], fits([[small, fit('full-gpu')]]))).toBeNull();
    expect(pickDefaultModel([], [small], new Map())).toBe('small');
    expect(pickDefaultModel([], [], new Map())).toBeNull();
  });
});

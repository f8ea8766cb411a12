import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileQuant, loadCatalog } from '../../../../../src/main/services/catalog/catalog-file';
import { factsFromShape } from '../../../../../src/main/services/catalog/shape-facts';
import { validateRepoId } from '../../../../../src/main/services/hub/hub-client';
import { quantOrder } from '../../../../../src/shared/domain/gguf-files';
import { makeTempDir } from '../../../../helpers/temp-dir';

const { models } = loadCatalog();

describe('the shipped catalog', () => {
  it('has unique ids and valid Hub repo ids', () => {
    expect(new Set(models.map((m) => m.id)).size).toBe(models.length);
    for (const m of models) expect(() => validateRepoId(m.repo), m.id).not.toThrow();
  });

  it('cites, for every entry, the GGUF repo and the original model card', () => {
    for (const m of models) {
      expect(m.sources, m.id).toContain(`https://huggingface.co/${m.repo}`);
      expect(
        m.sources.filter((s) => s.startsWith('https://huggingface.co/')).length,
        m.id,
      ).toBeGreaterThanOrEqual(2);
    }
  });

  it('lists, for every entry, GGUF files whose quant Hearth recognises', () => {
    for (const m of models) {
      expect(m.files.length, m.id).toBeGreaterThan(0);
      for (const f of m.files) {
        const quant = fileQuant(f);
        expect([...quantOrder, 'F16'], `${m.id}: ${f.path}`).toContain(quant);
      }
    }
  });

  it('gives MoE entries their active parameters and expert counts', () => {
    const moe = models.filter((m) => m.shape.experts);
    expect(moe.map((m) => m.id)).toEqual(
      expect.arrayContaining([
        'gpt-oss-20b',
        'gpt-oss-120b',
        'qwen3-30b-a3b-instruct-2507',
        'qwen3-coder-30b-a3b',
      ]),
    );
    for (const m of moe) {
      expect(m.activeParametersB, m.id).toBeDefined();
      expect(m.activeParametersB!, m.id).toBeLessThan(m.parametersB / 4);
    }
    for (const m of models.filter((x) => !x.shape.experts)) expect(m.activeParametersB, m.id).toBeUndefined();
  });

  it('covers the families people run locally, with their capabilities', () => {
    const byId = new Map(models.map((m) => [m.id, m]));
    expect(byId.get('gpt-oss-20b')?.capabilities).toMatchObject({ tools: true, reasoning: true });
    expect(byId.get('gemma-3-12b')?.capabilities.vision).toBe(true);
    expect(byId.get('qwen3-coder-30b-a3b')?.uses).toEqual(['code']);
    expect(byId.get('deepseek-r1-0528-qwen3-8b')?.capabilities.reasoning).toBe(true);
    expect(byId.get('smollm3-3b')).toBeDefined();
    expect(models.some((m) => m.family.startsWith('Llama 3'))).toBe(true);
    const embeddings = models.filter((m) => m.capabilities.embeddings);
    expect(embeddings.length).toBeGreaterThan(0);
    for (const m of embeddings) expect(m.uses).toEqual(['embeddings']);
  });

  it('makes a 30B-A3B token read about 3B parameters worth of weights', () => {
    const moe = models.find((m) => m.id === 'qwen3-30b-a3b-instruct-2507')!;
    const facts = factsFromShape(moe);
    const perToken = facts.bytes.layers.reduce(
      (sum, layer, i) =>
        sum +
        layer -
        (facts.bytes.expertLayers[i] ?? 0) * (1 - moe.shape.experts!.used / moe.shape.experts!.count),
      facts.bytes.output,
    );
    const share = perToken / facts.bytes.total;
    expect(share).toBeGreaterThan(0.08);
    expect(share).toBeLessThan(0.15);
  });
});

describe('loadCatalog', () => {
  const dir = makeTempDir();
  afterAll(() => dir.cleanup());

  it('refuses a catalog with a bad entry, saying where', () => {
    const path = join(dir.path, 'bad.json');
    writeFileSync(path, JSON.stringify({ models: [{ ...models[0], files: [{ path: 'notes.txt' }] }] }));
    expect(() => loadCatalog(path)).toThrow(/models\.0\.files\.0\.path/);
  });

  it('fills defaults for older catalogs without capabilities, files or sources', () => {
    const path = join(dir.path, 'old.json');
    const { capabilities: _c, files: _f, sources: _s, legacy: _l, ...old } = models[0]!;
    writeFileSync(path, JSON.stringify({ models: [old] }));
    const [entry] = loadCatalog(path).models;
    expect(entry).toMatchObject({ files: [], sources: [], legacy: false, capabilities: { vision: false } });
  });
});

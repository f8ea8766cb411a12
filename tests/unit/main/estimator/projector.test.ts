import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EstimatorService } from '../../../../src/main/services/estimator/estimator-service';
import type { HardwareService } from '../../../../src/main/services/hardware/hardware-service';
import { writeGguf } from '../../../fixtures/gguf';
import { profileWith, writeShaped, type ShapedModel } from '../../../helpers/estimator';
import { makeTempDir } from '../../../helpers/temp-dir';

/** A Gemma-3-style SigLIP projector header: 896 px images in 14 px patches, 1152 wide, 16 heads. */
function writeClip(path: string, imageSize = 896): number {
  const u32 = (value: number) => ({ type: 'u32' as const, value });
  writeGguf(path, {
    metadata: [
      ['general.architecture', { type: 'str', value: 'clip' }],
      ['clip.has_vision_encoder', { type: 'bool', value: true }],
      ['clip.vision.image_size', u32(imageSize)],
      ['clip.vision.patch_size', u32(14)],
      ['clip.vision.embedding_length', u32(1152)],
      ['clip.vision.feed_forward_length', u32(4304)],
      ['clip.vision.attention.head_count', u32(16)],
    ],
    tensors: [
      { name: 'v.patch_embd.weight', dims: [14 * 14 * 3, 1152], type: 'F16', fill: { kind: 'sparse' } },
      { name: 'mm.input_projection.weight', dims: [1152, 2560], type: 'F16', fill: { kind: 'sparse' } },
    ],
  });
  return (588 * 1152 + 1152 * 2560) * 2;
}

describe('a vision projector next to the model', () => {
  const dir = makeTempDir();
  let model: ShapedModel;
  let tensorBytes: number;
  const estimator = new EstimatorService({
    get: async () => profileWith('RTX 4090'),
  } as unknown as HardwareService);
  beforeAll(async () => {
    model = await writeShaped(dir.path, 'llama31_8b', 'Q4_K_M');
    tensorBytes = writeClip(join(dir.path, 'mmproj-gemma-f16.gguf'));
  }, 30_000);
  afterAll(() => dir.cleanup());

  it('is read from its header: its tensors and its encoder compute go to the GPU', async () => {
    const projector = await estimator.projectorFor(model.path);
    expect(projector).toMatchObject({ name: 'mmproj-gemma-f16.gguf', weightsBytes: tensorBytes });
    const without = await estimator.fit({ modelPath: model.path, projector: false });
    const withIt = await estimator.fit({ modelPath: model.path });
    // 64 x 64 patches + the class token; streams of 5 widths and 3 feed-forward rows, f32.
    const patches = 64 * 64 + 1;
    const encoder = patches * 4 * (5 * 1152 + 3 * 4304);
    expect(withIt.gpu.weightsBytes - without.gpu.weightsBytes).toBe(tensorBytes + encoder);
    expect(withIt.notes.join(' ')).toMatch(/vision projector mmproj-gemma-f16\.gguf/);
    expect(without.notes.join(' ')).not.toMatch(/vision projector/);
    // Without flash attention the encoder also holds its attention scores: patches² per head.
    const off = await estimator.fit({ modelPath: model.path, flashAttention: 'off' });
    const offWithout = await estimator.fit({
      modelPath: model.path,
      flashAttention: 'off',
      projector: false,
    });
    expect(off.gpu.weightsBytes - offWithout.gpu.weightsBytes).toBe(
      tensorBytes + encoder + patches * patches * 16 * 4,
    );
  });

  it('counts a projector whose header is broken or claims an absurd image by its file size', async () => {
    const broken = join(dir.path, 'broken');
    mkdirSync(broken);
    const other = await writeShaped(broken, 'llama31_8b', 'Q4_K_M');
    writeFileSync(join(broken, 'mmproj-broken.gguf'), 'GGUF but not really');
    expect(await estimator.projectorFor(other.path)).toEqual({
      name: 'mmproj-broken.gguf',
      weightsBytes: 19,
      vision: null,
    });
    const absurd = join(dir.path, 'absurd');
    mkdirSync(absurd);
    const third = await writeShaped(absurd, 'llama31_8b', 'Q4_K_M');
    writeClip(join(absurd, 'mmproj-huge.gguf'), 1_000_000);
    const projector = await estimator.projectorFor(third.path);
    expect(projector).toEqual({
      name: 'mmproj-huge.gguf',
      weightsBytes: statSync(join(absurd, 'mmproj-huge.gguf')).size,
      vision: null,
    });
  });
});

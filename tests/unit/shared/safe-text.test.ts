import { describe, expect, it } from 'vitest';
import { isSafeText, safeText } from '../../../src/shared/domain/safe-text';
import { SeededRandom } from '../../fixtures/gguf/random';
import { hasDangerousText } from '../../helpers/dangerous-text';

describe('safeText', () => {
  it('shows terminal escapes, C1 controls and bidi overrides as visible escapes', () => {
    expect(safeText('\u001b[2J\u001b]0;pwned\u0007')).toBe('\\x1b[2J\\x1b]0;pwned\\x07');
    expect(safeText('a\u009b31mb')).toBe('a\\x9b31mb');
    expect(safeText('model\u202egguf.exe')).toBe('model\\u202egguf.exe');
    expect(safeText('line\nbreak\ttab\r\u0000')).toBe('line\\nbreak\\ttab\\r\\x00');
  });

  it('leaves ordinary names alone, accents, scripts and emoji included', () => {
    for (const name of [
      'Llama-3.2-1B-Instruct',
      'Qwen2.5 7B (Q4_K_M)',
      'Café-Modèle',
      '通义千问',
      'Phi 🚀 mini',
    ]) {
      expect(safeText(name)).toBe(name);
      expect(isSafeText(name)).toBe(true);
    }
  });

  it('caps the length with an ellipsis, never splitting a character or an escape', () => {
    expect(safeText('x'.repeat(10), 5)).toBe('xxxx…');
    expect(safeText('x'.repeat(5), 5)).toBe('xxxxx');
    expect(safeText('🚀'.repeat(10), 5)).toBe('🚀🚀…');
    expect(safeText('ab\u001bcd', 5)).toBe('ab…');
  });

  it('reads only what it keeps, so a 16 MB name is as cheap as a short one', () => {
    const huge = '\u001b'.repeat(16 * 1024 * 1024);
    const started = performance.now();
    const shown = safeText(huge);
    expect(performance.now() - started).toBeLessThan(50);
    expect(shown.length).toBeLessThanOrEqual(200);
    expect(shown.endsWith('…')).toBe(true);
  });

  it('never lets a dangerous character through, nor exceeds the limit, on random input', () => {
    const rng = new SeededRandom(2024);
    for (let i = 0; i < 2000; i++) {
      const length = rng.nextU32() % 300;
      // Mostly controls, surrogates and format characters, some ordinary text.
      const codes = Array.from({ length }, () => {
        const pick = rng.nextU32() % 4;
        return pick === 0
          ? rng.nextU32() % 0x100
          : pick === 1
            ? 0x2000 + (rng.nextU32() % 0x80)
            : pick === 2
              ? 0xd800 + (rng.nextU32() % 0x800)
              : rng.nextU32() % 0x10000;
      });
      const input = String.fromCharCode(...codes);
      const limit = 1 + (rng.nextU32() % 250);
      const shown = safeText(input, limit);
      expect(shown.length).toBeLessThanOrEqual(limit);
      expect(hasDangerousText(shown)).toBe(false);
      expect(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(shown)).toBe(
        false,
      );
    }
  });
});

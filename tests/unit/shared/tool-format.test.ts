import { describe, expect, it } from 'vitest';
import { hasToolFormat } from '../../../src/shared/domain/tool-format';
import { chatmlTemplate, qwenToolsTemplate } from '../../fixtures/gguf';

describe('whether a model has a tool-call format', () => {
  it('reads it from the chat template', () => {
    expect(hasToolFormat(qwenToolsTemplate, [])).toBe(true);
    expect(hasToolFormat(chatmlTemplate, ['Llama 3.1 8B Instruct'])).toBe(false);
    expect(hasToolFormat('{{ messages }}[TOOL_CALLS]', [])).toBe(true);
    expect(hasToolFormat('{% for m in messages %}{{ m.content }}{% endfor %}', [])).toBe(false);
  });

  it('without a template, from the names node-llama-cpp maps to a wrapper with calls of its own', () => {
    expect(hasToolFormat(undefined, ['Meta Llama 3.1 8B Instruct'])).toBe(true);
    expect(hasToolFormat(undefined, [null, 'functionary-small-v3.2.Q4_0.gguf'])).toBe(true);
    expect(hasToolFormat(undefined, ['gpt-oss-20b'])).toBe(true);
    expect(hasToolFormat(undefined, ['Llama 2 7B Chat', 'tiny.gguf'])).toBe(false);
    expect(hasToolFormat('', [null])).toBe(false);
  });
});

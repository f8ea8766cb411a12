import { describe, expect, it } from 'vitest';
import { splitBlocks } from '../../../src/renderer/src/features/chat/markdown-blocks';

describe('splitting a streaming reply into Markdown blocks', () => {
  it('splits paragraphs at blank lines and drops empty blocks', () => {
    expect(splitBlocks('# Title\n\nFirst paragraph\nstill first\n\n\n- a\n- b\n')).toEqual([
      '# Title',
      'First paragraph\nstill first',
      '- a\n- b',
    ]);
  });

  it('never splits inside a fenced code block, even an unclosed one that is still streaming', () => {
    const code = '```python\ndef f():\n\n    return 1\n```';
    expect(splitBlocks(`Intro\n\n${code}\n\nAfter`)).toEqual(['Intro', code, 'After']);
    expect(splitBlocks('~~~\na\n\nb')).toEqual(['~~~\na\n\nb']);
    // A shorter fence inside a longer one does not close it.
    expect(splitBlocks('````md\n```\n\n```\n````\n\nend')).toEqual(['````md\n```\n\n```\n````', 'end']);
  });

  it('keeps a $$ math block whole, and treats $$ x $$ on one line as a block of its own', () => {
    expect(splitBlocks('$$\na = b\n\nc = d\n$$\n\ntext')).toEqual(['$$\na = b\n\nc = d\n$$', 'text']);
    expect(splitBlocks('$$ E = mc^2 $$\n\nnext')).toEqual(['$$ E = mc^2 $$', 'next']);
  });

  it('joins back to the same rendering input: no text is lost', () => {
    const text = 'a\n\n```\nx\n\ny\n```\n\n$$\n1\n$$\n\nz';
    expect(splitBlocks(text).join('\n\n')).toBe(text);
  });
});

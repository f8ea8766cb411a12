/**
 * Splits Markdown into top-level blocks at blank lines, never inside a fenced code block or a $$
 * math block. While a reply streams only its last block changes, so only that one is parsed again.
 */
export function splitBlocks(text: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: string | null = null;
  let math = false;
  const flush = (): void => {
    if (current.some((l) => l.trim() !== '')) blocks.push(current.join('\n'));
    current = [];
  };
  for (const line of text.split('\n')) {
    const trimmed = line.trimStart();
    if (fence) {
      current.push(line);
      if (trimmed.startsWith(fence) && trimmed.slice(fence.length).trim() === '') fence = null;
      continue;
    }
    const opening = /^(`{3,}|~{3,})/.exec(trimmed);
    if (opening && !math) {
      fence = opening[1]!;
      current.push(line);
      continue;
    }
    if (trimmed.startsWith('$$')) {
      // "$$ x $$" on one line opens and closes.
      const single = trimmed.length > 2 && trimmed.trimEnd().endsWith('$$') && trimmed.trim() !== '$$';
      if (!single) math = !math;
      current.push(line);
      continue;
    }
    if (!math && trimmed === '') flush();
    else current.push(line);
  }
  flush();
  return blocks;
}

import type { Element, ElementContent, Root, RootContent } from 'hast';
import { common, createLowlight } from 'lowlight';
import type { RehypePlugins } from './lazy-rehype';

// One highlighter for the app: building it registers ~40 grammars, too slow to do per render. This
// module is a chunk of its own, fetched with the first fenced code block (see lazy-rehype).
const lowlight = createLowlight(common);

const textOf = (node: ElementContent | RootContent): string =>
  node.type === 'text' ? node.value : 'children' in node ? node.children.map(textOf).join('') : '';

function highlightCode(code: Element): void {
  const classes = Array.isArray(code.properties.className) ? code.properties.className.map(String) : [];
  const language = classes.find((c) => c.startsWith('language-'))?.slice('language-'.length);
  if (!language || !lowlight.registered(language)) return;
  const tree = lowlight.highlight(language, textOf(code));
  code.properties.className = [...classes, 'hljs'];
  code.children = tree.children as ElementContent[];
}

function visit(node: Root | Element): void {
  for (const child of node.children) {
    if (child.type !== 'element') continue;
    const first = child.children[0];
    if (child.tagName === 'pre' && first?.type === 'element' && first.tagName === 'code')
      highlightCode(first);
    else visit(child);
  }
}

/** A rehype plugin: fenced code with a known language gets highlight.js classes (no guessing). */
export function rehypeHighlightCode() {
  return (tree: Root): void => visit(tree);
}

export const highlightPlugins: RehypePlugins = [rehypeHighlightCode];

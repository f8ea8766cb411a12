import 'katex/dist/katex.min.css';
import rehypeKatex from 'rehype-katex';
import type { RehypePlugins } from './lazy-rehype';

/** KaTeX and its stylesheet: a chunk of their own, fetched when a reply first has math. */
export const katexPlugins: RehypePlugins = [
  [rehypeKatex, { throwOnError: false, trust: false, strict: 'ignore' }],
];

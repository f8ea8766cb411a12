import { memo, useMemo, type ComponentProps } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import { CopyButton } from '../../components/CopyButton';
import { useThrottled } from '../../lib/use-throttled';
import { useLazyRehype } from './lazy-rehype';
import { splitBlocks } from './markdown-blocks';

export { CopyButton };

/** The text of a hast node, for the copy button of a highlighted block (highlighting splits it into spans). */
function textOf(node: unknown): string {
  if (!node || typeof node !== 'object') return '';
  const n = node as { type?: string; value?: string; children?: unknown[] };
  if (n.type === 'text') return n.value ?? '';
  return (n.children ?? []).map(textOf).join('');
}

const components: Components = {
  pre({ node, children, ...rest }) {
    const language = /language-([\w+-]+)/.exec(
      String((node?.children[0] as { properties?: { className?: string[] } })?.properties?.className ?? ''),
    )?.[1];
    return (
      <div className="not-prose my-2 overflow-hidden rounded-lg border border-stone-200 dark:border-stone-700">
        <div className="flex items-center justify-between bg-stone-100 px-3 py-1 text-xs text-stone-500 dark:bg-stone-800">
          <span>{language ?? 'text'}</span>
          <CopyButton text={textOf(node).replace(/\n$/, '')} label="Copy code" />
        </div>
        <pre
          className="overflow-x-auto bg-stone-50 p-3 text-[13px] leading-relaxed dark:bg-stone-950"
          {...rest}
        >
          {children}
        </pre>
      </div>
    );
  },
  // Remote images would tell a server what you are reading: show the address instead of loading it.
  img({ src, alt }) {
    return (
      <span
        className="rounded bg-stone-100 px-1 text-xs text-stone-500 dark:bg-stone-800"
        data-testid="blocked-image"
      >
        [image{alt ? `: ${alt}` : ''}
        {typeof src === 'string' && src ? ` (${src})` : ''}]
      </span>
    );
  },
  a({ href, children }) {
    // react-markdown already drops javascript: and other unsafe protocols (href becomes empty).
    if (!href) return <span>{children}</span>;
    return (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow" className="text-ember-600 underline">
        {children}
      </a>
    );
  },
  table({ children, ...rest }: ComponentProps<'table'>) {
    return (
      <div className="overflow-x-auto">
        <table {...rest}>{children}</table>
      </div>
    );
  },
};

const remarkPlugins = [remarkGfm, remarkMath];

// Math is $…$ or $$…$$ (remark-math); code worth highlighting is a fence that names its language.
// Both tests may say yes too often (a price in dollars): that only fetches a chunk early.
const hasMath = (text: string): boolean => text.includes('$');
const hasCode = (text: string): boolean => /(?:`{3}|~{3})[ \t]*[\w+#-]/.test(text);

const MarkdownBlock = memo(function MarkdownBlock({ text }: { text: string }): React.JSX.Element {
  // Until KaTeX or the highlighter is fetched (once, on first use), math and code show as plain text.
  const math = useLazyRehype('math', hasMath(text));
  const code = useLazyRehype('code', hasCode(text));
  const rehypePlugins = useMemo(() => [...(math ?? []), ...(code ?? [])], [math, code]);
  return (
    <ReactMarkdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components}>
      {text}
    </ReactMarkdown>
  );
});

/**
 * A model's reply as GitHub-flavoured Markdown with math and highlighted code. Raw HTML in the text
 * is not parsed (no rehype-raw): `<script>` and `<img onerror>` stay visible text. While it streams,
 * the text is taken at most every 100 ms and only the block that changed is parsed again.
 */
export const Markdown = memo(function Markdown({
  text,
  streaming = false,
}: {
  text: string;
  streaming?: boolean;
}): React.JSX.Element {
  const shown = useThrottled(text, streaming ? 100 : 0);
  const blocks = useMemo(() => splitBlocks(shown), [shown]);
  return (
    <div className="markdown text-sm" data-testid="chat-text">
      {blocks.map((block, i) => (
        <MarkdownBlock key={i} text={block} />
      ))}
    </div>
  );
});

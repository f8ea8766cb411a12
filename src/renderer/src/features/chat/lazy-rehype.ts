import { useEffect, useSyncExternalStore } from 'react';
import type { Options } from 'react-markdown';

export type RehypePlugins = NonNullable<Options['rehypePlugins']>;

// KaTeX (with its fonts and CSS) and the highlighter's grammars are most of the Markdown's weight,
// and most replies need neither: each is fetched the first time a reply needs it.
const loaders = {
  math: () => import('./katex-plugin').then((m) => m.katexPlugins),
  code: () => import('./highlight').then((m) => m.highlightPlugins),
} satisfies Record<string, () => Promise<RehypePlugins>>;

type Kind = keyof typeof loaders;

const loaded = new Map<Kind, RehypePlugins>();
const started = new Set<Kind>();
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function load(kind: Kind): void {
  if (started.has(kind)) return;
  started.add(kind);
  loaders[kind]().then(
    (plugins) => {
      loaded.set(kind, plugins);
      for (const listener of listeners) listener();
    },
    // A failed fetch (the server went away) is tried again by the next block that needs it.
    () => started.delete(kind),
  );
}

/** The plugins of `kind` once fetched; while `needed` they are fetched, and the text shows without them. */
export function useLazyRehype(kind: Kind, needed: boolean): RehypePlugins | undefined {
  const plugins = useSyncExternalStore(subscribe, () => (needed ? loaded.get(kind) : undefined));
  useEffect(() => {
    if (needed) load(kind);
  }, [kind, needed]);
  return plugins;
}

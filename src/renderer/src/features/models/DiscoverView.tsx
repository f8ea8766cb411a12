import { useMutation, useQuery } from '@tanstack/react-query';
import { Download, Search } from 'lucide-react';
import { useState } from 'react';
import type { CatalogEntry } from '../../../../shared/contract';
import { formatBytes } from '../../../../shared/domain/format';
import { FitBadge } from '../../components/FitBadge';
import { Button, Card, ErrorText, Page } from '../../components/ui';
import { useClient, useRoute } from '../../lib/hooks';

/** The things a catalog model can do beyond plain chat, as short labels. */
function capabilityLabels(c: CatalogEntry['capabilities']): string[] {
  return [
    c.tools && 'tools',
    c.vision && 'images',
    c.reasoning && 'thinking',
    c.embeddings && 'embeddings',
  ].filter((label): label is string => !!label);
}

/** "Recommended for your machine": one model, one click. */
export function RecommendedCard(): React.JSX.Element {
  const client = useClient();
  const recommendation = useRoute('catalog.recommend');
  const install = useMutation({
    mutationFn: (input: { repo: string; quant: string }) => client.invoke('downloads.start', input),
    onSuccess: () => {
      window.location.hash = '#/downloads';
    },
  });
  const r = recommendation.data;
  return (
    <Card data-testid="recommended" className="border-ember-500/40 bg-ember-500/5">
      <h2 className="text-sm font-semibold uppercase tracking-wide text-ember-600">
        Recommended for your machine
      </h2>
      {recommendation.isPending && (
        <p className="mt-2 text-sm text-stone-500">Looking at your hardware and the models that fit…</p>
      )}
      <ErrorText error={recommendation.error} />
      {r && (
        <div className="mt-2 flex flex-wrap items-center justify-between gap-4">
          <div>
            <p className="text-lg font-semibold">{r.entry.name}</p>
            <p className="text-sm text-stone-600 dark:text-stone-400">{r.entry.description}</p>
            <p className="mt-1 text-sm">
              <span className="font-mono">{r.variant.quant}</span> · {formatBytes(r.variant.sizeBytes)} ·{' '}
              {r.reason}
            </p>
          </div>
          <div className="flex items-center gap-3">
            {r.variant.fit && <FitBadge fit={r.variant.fit} />}
            <Button
              onClick={() => install.mutate({ repo: r.repo, quant: r.variant.quant })}
              disabled={install.isPending}
              className="flex items-center gap-1.5"
            >
              <Download className="size-4" aria-hidden /> Install
            </Button>
          </div>
        </div>
      )}
      <ErrorText error={install.error} />
    </Card>
  );
}

function SearchResults({ query }: { query: string }): React.JSX.Element {
  const client = useClient();
  const results = useQuery({
    queryKey: ['hub.search', query],
    queryFn: () => client.invoke('hub.search', { query }),
    enabled: query.length > 0,
  });
  if (!query) return <></>;
  return (
    <Card>
      <h2 className="mb-2 text-sm font-semibold text-stone-500">Hugging Face results for “{query}”</h2>
      {results.isPending && <p className="text-sm text-stone-500">Searching…</p>}
      <ErrorText error={results.error} />
      <ul className="divide-y divide-stone-100 dark:divide-stone-800" data-testid="search-results">
        {results.data?.models.map((m) => (
          <li key={m.id} className="flex items-center justify-between py-2 text-sm">
            <a href={`#/model/${m.id}`} className="font-medium text-ember-600 hover:underline">
              {m.id}
            </a>
            <span className="text-stone-500">
              {m.downloads.toLocaleString()} downloads{m.gated ? ' · gated' : ''}
              {m.license ? ` · ${m.license}` : ''}
            </span>
          </li>
        ))}
        {results.data?.models.length === 0 && (
          <li className="py-2 text-sm text-stone-500">No GGUF models found.</li>
        )}
      </ul>
    </Card>
  );
}

export function DiscoverView(): React.JSX.Element {
  const catalog = useRoute('catalog.list');
  const [draft, setDraft] = useState('');
  const [query, setQuery] = useState('');
  return (
    <Page
      title="Discover"
      subtitle="Models that run on your own computer, with an honest answer to “will it fit?”"
    >
      <RecommendedCard />
      <form
        className="flex gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(draft.trim());
        }}
      >
        <label className="sr-only" htmlFor="search">
          Search Hugging Face
        </label>
        <input
          id="search"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder="Search Hugging Face for GGUF models…"
          className="flex-1 rounded-md border border-stone-300 bg-white px-3 py-1.5 text-sm dark:border-stone-700 dark:bg-stone-950"
        />
        <Button type="submit" className="flex items-center gap-1.5">
          <Search className="size-4" aria-hidden /> Search
        </Button>
      </form>
      <SearchResults query={query} />
      <div>
        <h2 className="mb-3 text-lg font-semibold">Curated models</h2>
        <ErrorText error={catalog.error} />
        <div className="grid gap-3 md:grid-cols-2" data-testid="catalog">
          {catalog.data?.map((entry) => (
            <a
              key={entry.id}
              href={`#/model/${entry.repo}`}
              className="block rounded-xl border border-stone-200 bg-white p-4 hover:border-ember-500 dark:border-stone-800 dark:bg-stone-900"
            >
              <div className="flex items-start justify-between gap-2">
                <div>
                  <p className="font-medium">{entry.name}</p>
                  <p className="text-xs text-stone-500">
                    {entry.activeParametersB
                      ? `${entry.parametersB}B, ${entry.activeParametersB}B active`
                      : `${entry.parametersB}B`}{' '}
                    · {entry.uses.join(' · ')} · {entry.license} · ~{formatBytes(entry.approxSizeBytes)} at{' '}
                    {entry.approxQuant}
                  </p>
                  <p className="text-xs text-stone-500" data-testid="capabilities">
                    {capabilityLabels(entry.capabilities).join(' · ')}
                  </p>
                </div>
                <FitBadge fit={entry.fit} />
              </div>
              <p className="mt-2 text-sm text-stone-600 dark:text-stone-400">{entry.description}</p>
            </a>
          ))}
        </div>
      </div>
    </Page>
  );
}

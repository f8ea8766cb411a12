import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { LibraryModel } from '../../../../shared/contract';
import { formatBytes, formatParameters } from '../../../../shared/domain/format';
import { Button, Card, ErrorText, Page } from '../../components/ui';
import { useClient, useRoute } from '../../lib/hooks';
import { ImportModel } from './ImportModel';

/** A quick prompt to check a model answers (the full chat is its own page). */
function TryIt({ model }: { model: LibraryModel }): React.JSX.Element {
  const client = useClient();
  const [prompt, setPrompt] = useState('Hello! Who are you?');
  const [reply, setReply] = useState('');
  const ask = useMutation({
    mutationFn: async () => {
      setReply('');
      const status = await client.invoke('engine.status');
      if (status.modelPath !== model.path) await client.invoke('engine.load', { modelId: model.id });
      const requestId = crypto.randomUUID();
      const off = client.on('engine.chunk', (chunk) => {
        if (chunk.requestId === requestId && chunk.segment === 'text') setReply((r) => r + chunk.text);
      });
      try {
        return await client.invoke('engine.chat', {
          requestId,
          messages: [{ role: 'user', content: prompt }],
          sampling: { temperature: 0.7, maxTokens: 48, stop: [] },
        });
      } finally {
        off();
      }
    },
    onSuccess: (result) => setReply(result.text),
  });
  return (
    <form
      className="mt-3 space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        ask.mutate();
      }}
    >
      <div className="flex gap-2">
        <input
          aria-label={`Prompt for ${model.name}`}
          value={prompt}
          onChange={(e) => setPrompt(e.target.value)}
          className="flex-1 rounded-md border border-stone-300 bg-white px-3 py-1.5 text-sm dark:border-stone-700 dark:bg-stone-950"
        />
        <Button type="submit" disabled={ask.isPending || !prompt.trim()}>
          {ask.isPending ? 'Thinking…' : 'Ask'}
        </Button>
      </div>
      {(reply || ask.data) && (
        <p
          data-testid="try-reply"
          className="whitespace-pre-wrap rounded-md bg-stone-100 p-3 text-sm dark:bg-stone-800"
        >
          {reply}
        </p>
      )}
      {ask.data && (
        <p className="text-xs text-stone-500">
          {ask.data.stats.generatedTokens} tokens · {ask.data.stats.generationTokensPerSecond.toFixed(1)}{' '}
          tokens/s · stopped by {ask.data.stopReason}
        </p>
      )}
      <ErrorText error={ask.error} />
    </form>
  );
}

function ModelCard({ model }: { model: LibraryModel }): React.JSX.Element {
  const client = useClient();
  const [trying, setTrying] = useState(false);
  const remove = useMutation({ mutationFn: () => client.invoke('library.delete', { id: model.id }) });
  return (
    <Card data-testid="library-model" data-id={model.id}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <p className="font-medium">{model.name}</p>
          <p className="text-xs text-stone-500">
            {[
              model.architecture,
              model.parameters ? `${formatParameters(model.parameters)} parameters` : null,
              model.quant,
              formatBytes(model.sizeBytes),
              model.contextLength ? `${model.contextLength.toLocaleString()} context` : null,
              model.license,
            ]
              .filter(Boolean)
              .join(' · ')}
          </p>
          <p className="text-xs text-stone-500">
            {model.source === 'hearth' || model.source === 'imported'
              ? 'In Hearth'
              : `From ${model.source} (used in place, read-only)`}
          </p>
          {model.error && <ErrorText error={new Error(`Unusable: ${model.error}`)} />}
        </div>
        <div className="flex gap-2">
          {!model.error && (
            <Button variant="secondary" onClick={() => setTrying((t) => !t)}>
              Try it
            </Button>
          )}
          {!model.readOnly && (
            <Button
              variant="danger"
              disabled={remove.isPending}
              onClick={() => {
                if (window.confirm(`Delete ${model.name} (${formatBytes(model.sizeBytes)})?`))
                  remove.mutate();
              }}
            >
              Delete
            </Button>
          )}
        </div>
      </div>
      {trying && <TryIt model={model} />}
      <ErrorText error={remove.error} />
    </Card>
  );
}

export function MyModelsView(): React.JSX.Element {
  const models = useRoute('library.list');
  const total = models.data?.filter((m) => !m.readOnly).reduce((s, m) => s + m.sizeBytes, 0) ?? 0;
  return (
    <Page
      title="My models"
      subtitle={
        models.data
          ? `${models.data.length} model${models.data.length === 1 ? '' : 's'} · ${formatBytes(total)} on disk in Hearth's folder`
          : undefined
      }
    >
      <ErrorText error={models.error} />
      <ImportModel />
      {models.data?.length === 0 && (
        <p className="text-sm text-stone-500">
          No models yet.{' '}
          <a className="text-ember-600 hover:underline" href="#/discover">
            Find one that fits your machine
          </a>
          .
        </p>
      )}
      <div className="space-y-3">
        {models.data?.map((m) => (
          <ModelCard key={m.id} model={m} />
        ))}
      </div>
    </Page>
  );
}

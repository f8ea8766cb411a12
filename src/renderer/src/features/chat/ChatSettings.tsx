import { useMutation, useQueryClient } from '@tanstack/react-query';
import { X } from 'lucide-react';
import { useState } from 'react';
import type { RouteOutput } from '../../../../shared/contract';
import { Button, ErrorText } from '../../components/ui';
import { useClient, useRoute } from '../../lib/hooks';

type Conversation = RouteOutput<'chats.list'>[number];
type Params = Conversation['params'];

const numberFields: { key: Exclude<keyof Params, 'stop'>; label: string; step: number; hint: string }[] = [
  { key: 'temperature', label: 'Temperature', step: 0.05, hint: '0.7; 0 always picks the likeliest word' },
  { key: 'topP', label: 'Top P', step: 0.01, hint: 'off' },
  { key: 'topK', label: 'Top K', step: 1, hint: 'off' },
  { key: 'minP', label: 'Min P', step: 0.01, hint: 'off' },
  { key: 'repeatPenalty', label: 'Repeat penalty', step: 0.05, hint: 'off' },
  { key: 'seed', label: 'Seed', step: 1, hint: 'random' },
  { key: 'maxTokens', label: 'Max tokens', step: 1, hint: '2048' },
  { key: 'maxThoughtTokens', label: 'Thinking budget', step: 1, hint: 'no limit' },
];

export type ChatSettingsValue = Pick<Conversation, 'systemPrompt' | 'params'>;

/**
 * The conversation's system prompt and sampling, and presets to apply or save them. A new chat has
 * them too, kept by its owner until the first message stores the conversation.
 */
export function ChatSettings({
  settings,
  onSave,
  onClose,
}: {
  settings: ChatSettingsValue;
  onSave: (settings: { systemPrompt: string; params: Params }) => Promise<unknown>;
  onClose: () => void;
}): React.JSX.Element {
  const client = useClient();
  const queryClient = useQueryClient();
  const presets = useRoute('presets.list');
  const [systemPrompt, setSystemPrompt] = useState(settings.systemPrompt ?? '');
  const [params, setParams] = useState<Params>(settings.params);
  const [stop, setStop] = useState((settings.params.stop ?? []).join(', '));
  const [presetName, setPresetName] = useState('');
  const current = (): Params => {
    const stops = stop
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return { ...params, stop: stops.length ? stops : undefined };
  };
  const save = useMutation({ mutationFn: onSave });
  const savePreset = useMutation({
    mutationFn: () =>
      client.invoke('presets.save', {
        name: presetName,
        systemPrompt: systemPrompt || null,
        params: current(),
      }),
    onSuccess: () => {
      setPresetName('');
      void queryClient.invalidateQueries({ queryKey: ['presets.list'] });
    },
  });
  const apply = (id: string): void => {
    const preset = presets.data?.find((p) => p.id === id);
    if (!preset) return;
    setSystemPrompt(preset.systemPrompt ?? '');
    setParams(preset.params);
    setStop((preset.params.stop ?? []).join(', '));
    save.mutate({ systemPrompt: preset.systemPrompt ?? '', params: preset.params });
  };
  const input =
    'w-full rounded-md border border-stone-300 bg-white px-2 py-1 text-sm dark:border-stone-700 dark:bg-stone-950';

  return (
    <aside
      aria-label="Chat settings"
      className="flex w-80 shrink-0 flex-col gap-3 overflow-y-auto border-l border-stone-200 p-4 text-sm dark:border-stone-800"
    >
      <div className="flex items-center justify-between">
        <h2 className="font-semibold">Chat settings</h2>
        <button type="button" aria-label="Close settings" onClick={onClose}>
          <X className="size-4" />
        </button>
      </div>
      {!!presets.data?.length && (
        <label className="block space-y-1">
          <span className="text-xs text-stone-500">Preset</span>
          <select
            className={input}
            value=""
            onChange={(e) => apply(e.target.value)}
            aria-label="Apply preset"
          >
            <option value="">Apply a preset…</option>
            {presets.data.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="block space-y-1">
        <span className="text-xs text-stone-500">System prompt</span>
        <textarea
          aria-label="System prompt"
          value={systemPrompt}
          onChange={(e) => setSystemPrompt(e.target.value)}
          rows={5}
          placeholder="You are a helpful assistant."
          className={input}
        />
      </label>
      <div className="grid grid-cols-2 gap-2">
        {numberFields.map((f) => (
          <label key={f.key} className="block space-y-1">
            <span className="text-xs text-stone-500">{f.label}</span>
            <input
              type="number"
              aria-label={f.label}
              step={f.step}
              placeholder={f.hint}
              value={params[f.key] ?? ''}
              onChange={(e) =>
                setParams((p) => ({
                  ...p,
                  [f.key]: e.target.value === '' ? undefined : Number(e.target.value),
                }))
              }
              className={input}
            />
          </label>
        ))}
      </div>
      <label className="block space-y-1">
        <span className="text-xs text-stone-500">Stop strings (comma-separated)</span>
        <input
          aria-label="Stop strings"
          value={stop}
          onChange={(e) => setStop(e.target.value)}
          className={input}
        />
      </label>
      <Button onClick={() => save.mutate({ systemPrompt, params: current() })} disabled={save.isPending}>
        {save.isSuccess && !save.isPending ? 'Saved' : 'Save for this chat'}
      </Button>
      <ErrorText error={save.error} />
      <form
        className="flex gap-2 border-t border-stone-200 pt-3 dark:border-stone-800"
        onSubmit={(e) => {
          e.preventDefault();
          if (presetName.trim()) savePreset.mutate();
        }}
      >
        <input
          aria-label="Preset name"
          placeholder="Save as preset…"
          value={presetName}
          onChange={(e) => setPresetName(e.target.value)}
          className={input}
        />
        <Button type="submit" variant="secondary" disabled={!presetName.trim()}>
          Save
        </Button>
      </form>
      <ErrorText error={savePreset.error} />
    </aside>
  );
}

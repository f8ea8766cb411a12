import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { Provider, RemoteProviderKind } from '../../../../shared/contract';
import { Button, Card, ErrorText } from '../../components/ui';
import { useClient } from '../../lib/hooks';

export type KindChoice = 'auto' | RemoteProviderKind;

/** What a discovered Hearth fills in: the person still types its key and presses Add. */
export interface AddPrefill {
  baseUrl: string;
  kind: KindChoice;
  name: string;
  /** Changes on each pick, so picking the same machine twice refocuses the key field. */
  nonce: number;
}

const kindLabels: Record<KindChoice, string> = {
  auto: 'Find out',
  hearth: 'Hearth',
  ollama: 'Ollama',
  openai: 'OpenAI-compatible',
};

const input =
  'w-full rounded-md border border-stone-300 bg-transparent px-2 py-1.5 text-sm dark:border-stone-700';

/**
 * Adds a server by URL, kind and key. The backend tests the connection first and refuses with the
 * reason; "Find out" tries Hearth, then Ollama, then OpenAI-compatible, and shows every reason.
 */
export function AddProviderForm({
  prefill,
  onAdded,
}: {
  prefill: AddPrefill | null;
  onAdded: (provider: Provider) => void;
}): React.JSX.Element {
  const client = useClient();
  const [baseUrl, setBaseUrl] = useState('');
  const [kind, setKind] = useState<KindChoice>('auto');
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const keyField = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!prefill) return;
    setBaseUrl(prefill.baseUrl);
    setKind(prefill.kind);
    setName(prefill.name);
    keyField.current?.focus();
  }, [prefill]);

  const add = useMutation({
    mutationFn: async () => {
      const kinds: RemoteProviderKind[] = kind === 'auto' ? ['hearth', 'ollama', 'openai'] : [kind];
      const reasons: string[] = [];
      for (const k of kinds) {
        try {
          return await client.invoke('providers.add', {
            kind: k,
            baseUrl: baseUrl.trim(),
            key: key === '' ? undefined : key,
            name: name.trim() === '' ? undefined : name.trim(),
          });
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          reasons.push(kinds.length > 1 ? `As ${kindLabels[k]}: ${message}` : message);
        }
      }
      throw new Error(reasons.join('\n'));
    },
    onSuccess: (provider) => {
      setBaseUrl('');
      setKey('');
      setName('');
      setKind('auto');
      onAdded(provider);
    },
  });

  return (
    <Card aria-label="Add a server">
      <form
        className="grid grid-cols-1 gap-3 md:grid-cols-[2fr_1fr_1.5fr_1fr_auto] md:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          if (baseUrl.trim() !== '' && !add.isPending) add.mutate();
        }}
      >
        <label className="space-y-1 text-xs font-medium text-stone-500">
          <span>Address</span>
          <input
            className={input}
            value={baseUrl}
            onChange={(e) => setBaseUrl(e.target.value)}
            placeholder="http://gpu-box.local:7860"
            aria-label="Server address"
            spellCheck={false}
            required
          />
        </label>
        <label className="space-y-1 text-xs font-medium text-stone-500">
          <span>Kind</span>
          <select
            className={input}
            value={kind}
            onChange={(e) => setKind(e.target.value as KindChoice)}
            aria-label="Kind"
          >
            {(Object.keys(kindLabels) as KindChoice[]).map((k) => (
              <option key={k} value={k}>
                {kindLabels[k]}
              </option>
            ))}
          </select>
        </label>
        <label className="space-y-1 text-xs font-medium text-stone-500">
          <span>Key (if it asks for one)</span>
          <input
            ref={keyField}
            className={input}
            type="password"
            autoComplete="off"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            aria-label="Key"
          />
        </label>
        <label className="space-y-1 text-xs font-medium text-stone-500">
          <span>Name (optional)</span>
          <input
            className={input}
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-label="Name"
            maxLength={100}
          />
        </label>
        <Button type="submit" disabled={add.isPending || baseUrl.trim() === ''}>
          {add.isPending ? 'Testing…' : 'Test and add'}
        </Button>
      </form>
      <div className="mt-2 whitespace-pre-line" data-testid="add-error">
        <ErrorText error={add.error} />
      </div>
    </Card>
  );
}

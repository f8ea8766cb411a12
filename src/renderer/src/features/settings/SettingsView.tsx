import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { Settings } from '../../../../shared/contract';
import { Button, Card, ErrorText, Page } from '../../components/ui';
import { useClient, useRoute } from '../../lib/hooks';

const input =
  'w-full rounded-md border border-stone-300 bg-white px-3 py-1.5 text-sm dark:border-stone-700 dark:bg-stone-950';

function TextSetting(props: {
  title: string;
  help: string;
  label: string;
  value: string;
  placeholder: string;
  secret?: boolean;
  onChange(value: string): void;
  onSave(): void;
  /** More buttons beside Save. */
  extra?: React.ReactNode;
}): React.JSX.Element {
  return (
    <Card>
      <form
        className="space-y-2"
        onSubmit={(e) => {
          e.preventDefault();
          props.onSave();
        }}
      >
        <h2 className="font-semibold">{props.title}</h2>
        <p className="text-sm text-stone-500">{props.help}</p>
        <div className="flex gap-2">
          <input
            aria-label={props.label}
            type={props.secret ? 'password' : 'text'}
            autoComplete="off"
            className={input}
            value={props.value}
            onChange={(e) => props.onChange(e.target.value)}
            placeholder={props.placeholder}
          />
          <Button type="submit">Save</Button>
          {props.extra}
        </div>
      </form>
    </Card>
  );
}

export function SettingsView(): React.JSX.Element {
  const client = useClient();
  const queryClient = useQueryClient();
  const settings = useRoute('settings.get');
  const [modelsDir, setModelsDir] = useState('');
  const [token, setToken] = useState('');
  const [idle, setIdle] = useState('');
  const [maxModels, setMaxModels] = useState('');
  const [monitorEvery, setMonitorEvery] = useState('');
  useEffect(() => {
    if (!settings.data) return;
    setModelsDir(settings.data.modelsDir ?? '');
    setIdle(String(settings.data.unloadAfterMinutes));
    setMaxModels(String(settings.data.maxLoadedModels));
    setMonitorEvery(String(settings.data.monitorIntervalMs / 1000));
  }, [settings.data]);
  const save = useMutation({
    mutationFn: (patch: Partial<Settings>) => client.invoke('settings.update', patch),
    onSuccess: (next) => queryClient.setQueryData(['settings.get', null], next),
  });
  const s = settings.data;
  return (
    <Page title="Settings">
      <ErrorText error={settings.error} />
      {s && (
        <>
          <Card>
            <h2 className="mb-2 font-semibold">Appearance</h2>
            <div className="flex gap-2" role="radiogroup" aria-label="Theme">
              {(['system', 'light', 'dark'] as const).map((theme) => (
                <Button
                  key={theme}
                  role="radio"
                  aria-checked={s.theme === theme}
                  variant={s.theme === theme ? 'primary' : 'secondary'}
                  onClick={() => save.mutate({ theme })}
                >
                  {theme === 'system' ? 'Follow the system' : theme === 'light' ? 'Light' : 'Dark'}
                </Button>
              ))}
            </div>
          </Card>
          <TextSetting
            title="Models folder"
            help="Where downloads go. Empty: the default folder inside Hearth's data folder."
            label="Models folder"
            value={modelsDir}
            onChange={setModelsDir}
            placeholder="default"
            onSave={() => save.mutate({ modelsDir: modelsDir.trim() || null })}
          />
          <TextSetting
            title="Hugging Face token"
            help="For gated models (Llama, Gemma…): accept the model's terms on huggingface.co, then paste a read token. Without one, Hearth uses HF_TOKEN or the token file of huggingface-cli."
            label="Hugging Face token"
            secret
            value={token}
            onChange={setToken}
            // Only a hint of a saved token ever reaches this page.
            placeholder={s.hfToken ? `saved: ${s.hfToken}` : 'hf_…'}
            onSave={() => {
              if (token.trim()) save.mutate({ hfToken: token.trim() }, { onSuccess: () => setToken('') });
            }}
            extra={
              s.hfToken && (
                <Button variant="secondary" onClick={() => save.mutate({ hfToken: null })}>
                  Remove
                </Button>
              )
            }
          />
          <TextSetting
            title="Unload the model when idle"
            help="Minutes without a message before Hearth frees the model's memory (it loads again with the next message). 0 keeps it loaded."
            label="Unload after minutes"
            value={idle}
            onChange={setIdle}
            placeholder="30"
            onSave={() => save.mutate({ unloadAfterMinutes: Number(idle.trim() || '0') })}
          />
          <TextSetting
            title="Models kept in memory"
            help="How many models may stay loaded at once, memory allowing; the one used longest ago makes room first. 1 is best on most machines."
            label="Models kept in memory"
            value={maxModels}
            onChange={setMaxModels}
            placeholder="1"
            onSave={() => save.mutate({ maxLoadedModels: Number(maxModels.trim() || '1') })}
          />
          <TextSetting
            title="Resource monitor"
            help="Seconds between readings of the CPU, memory and GPUs while the monitor is on screen (0.5 to 5)."
            label="Seconds between readings"
            value={monitorEvery}
            onChange={setMonitorEvery}
            placeholder="1"
            onSave={() =>
              save.mutate({ monitorIntervalMs: Math.round(Number(monitorEvery.trim() || '1') * 1000) })
            }
          />
          <ErrorText error={save.error} />
          {save.isSuccess && <p className="text-sm text-emerald-600">Saved.</p>}
        </>
      )}
    </Page>
  );
}

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ServerStatus } from '../../../../shared/contract';
import { CopyButton } from '../../components/CopyButton';
import { Button, ErrorText } from '../../components/ui';
import { useClient } from '../../lib/hooks';

function Switch(props: {
  label: string;
  checked: boolean;
  disabled: boolean;
  onChange(on: boolean): void;
}): React.JSX.Element {
  return (
    <label className="flex items-center gap-2 text-sm">
      <input
        type="checkbox"
        role="switch"
        aria-checked={props.checked}
        checked={props.checked}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      {props.label}
    </label>
  );
}

/** The key, the one time it is shown: after this only its clients know it. */
function KeyOnce({ value, onDone }: { value: string; onDone(): void }): React.JSX.Element {
  return (
    <div
      role="status"
      className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950"
    >
      <p>Copy the key now: Hearth will not show it again. Clients send it as “Authorization: Bearer …”.</p>
      <div className="flex items-center gap-2">
        <code data-testid="server-key" className="break-all">
          {value}
        </code>
        <CopyButton text={value} label="Copy key" />
        <Button variant="secondary" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}

/** Port and allowed browser origins, saved together; the API checks each origin. */
function AddressFields(props: {
  status: ServerStatus;
  disabled: boolean;
  onSave(change: { port?: number; allowedOrigins: string[] }): void;
}): React.JSX.Element {
  const [port, setPort] = useState(String(props.status.port ?? ''));
  const [origins, setOrigins] = useState(props.status.allowedOrigins.join('\n'));
  const portNumber = Number(port);
  const portValid =
    port === '' || (Number.isInteger(portNumber) && portNumber >= 1024 && portNumber <= 65535);
  return (
    <form
      className="grid max-w-xl gap-2 text-sm"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSave({
          ...(port === '' ? {} : { port: portNumber }),
          allowedOrigins: origins
            .split(/\s+/)
            .map((o) => o.trim())
            .filter(Boolean),
        });
      }}
    >
      <label className="flex items-center gap-2">
        Port
        <input
          aria-label="Port"
          inputMode="numeric"
          className="w-24 rounded border border-stone-300 px-2 py-1 dark:border-stone-700 dark:bg-stone-900"
          value={port}
          disabled={props.disabled}
          onChange={(e) => setPort(e.target.value.trim())}
        />
        {!portValid && <span className="text-red-600">1024 to 65535</span>}
      </label>
      <label className="grid gap-1">
        Browser origins allowed to call the API (one per line, e.g. http://localhost:3000; never *)
        <textarea
          aria-label="Allowed origins"
          rows={2}
          className="rounded border border-stone-300 px-2 py-1 font-mono text-xs dark:border-stone-700 dark:bg-stone-900"
          value={origins}
          disabled={props.disabled}
          onChange={(e) => setOrigins(e.target.value)}
        />
      </label>
      <div>
        <Button type="submit" variant="secondary" disabled={props.disabled || !portValid}>
          Save
        </Button>
      </div>
    </form>
  );
}

/** On/off and LAN sharing for the desktop app; read-only under `hearth serve`, whose command line decides. */
export function ServerSwitches({ status }: { status: ServerStatus }): React.JSX.Element {
  const client = useClient();
  const queryClient = useQueryClient();
  const [key, setKey] = useState<string | null>(null);
  const [confirmRevoke, setConfirmRevoke] = useState(false);
  const done = (result: { status: ServerStatus; key: string | null }): void => {
    queryClient.setQueryData(['server.status', null], result.status);
    if (result.key) setKey(result.key);
    setConfirmRevoke(false);
  };
  const configure = useMutation({
    mutationFn: (change: {
      enabled?: boolean;
      lanSharing?: boolean;
      port?: number;
      allowedOrigins?: string[];
    }) => client.invoke('server.configure', change),
    onSuccess: done,
  });
  const revoke = useMutation({ mutationFn: () => client.invoke('server.revokeKey'), onSuccess: done });
  const readOnly = status.controlledBy === 'command-line';
  const busy = configure.isPending || revoke.isPending;
  return (
    <div className="mt-4 space-y-3 border-t border-stone-200 pt-3 dark:border-stone-800">
      <div className="flex flex-wrap items-center gap-6">
        <Switch
          label="API on"
          checked={status.running}
          disabled={readOnly || busy}
          onChange={(enabled) => configure.mutate({ enabled })}
        />
        <Switch
          label="Share on my network (with a key)"
          checked={status.lanSharing}
          disabled={readOnly || busy || !status.running}
          onChange={(lanSharing) => configure.mutate({ lanSharing })}
        />
        {!readOnly && status.keySet && (
          <Button
            variant="danger"
            disabled={busy}
            onClick={() => (confirmRevoke ? revoke.mutate() : setConfirmRevoke(true))}
          >
            {confirmRevoke ? 'Revoke: clients with the old key stop working' : 'Revoke key'}
          </Button>
        )}
      </div>
      {!readOnly && (
        <AddressFields
          key={`${status.port}|${status.allowedOrigins.join(' ')}`}
          status={status}
          disabled={busy}
          onSave={(change) => configure.mutate(change)}
        />
      )}
      {key && <KeyOnce value={key} onDone={() => setKey(null)} />}
      <ErrorText error={configure.error ?? revoke.error} />
    </div>
  );
}

import type { ServerStatus } from '../../../../shared/contract';
import { CopyButton } from '../../components/CopyButton';
import { Card } from '../../components/ui';
import { ServerSwitches } from './ServerSwitches';

function Fact({ label, children }: { label: string; children: React.ReactNode }): React.JSX.Element {
  return (
    <>
      <dt className="text-stone-500">{label}</dt>
      <dd className="min-w-0 break-all">{children}</dd>
    </>
  );
}

/** On or off, where, shared or not, and who may call: the key itself is never shown here. */
export function ServerStatusCard({ status }: { status: ServerStatus }): React.JSX.Element {
  return (
    <Card aria-labelledby="server-status-title" data-testid="server-status">
      <div className="mb-3 flex items-center gap-2">
        <span
          aria-hidden
          className={`size-2.5 rounded-full ${status.running ? 'bg-emerald-500' : 'bg-stone-400'}`}
        />
        <h2 id="server-status-title" className="font-semibold">
          {status.running ? 'The API is on' : 'The API is off'}
        </h2>
      </div>
      <dl className="grid grid-cols-[10rem_1fr] gap-x-4 gap-y-1.5 text-sm">
        {status.baseUrl && (
          <Fact label="Base URL">
            <span className="flex items-center gap-2">
              <code data-testid="server-base-url">{status.baseUrl}</code>
              <CopyButton text={status.baseUrl} label="Copy base URL" />
            </span>
          </Fact>
        )}
        {status.host !== null && (
          <Fact label="Listening on">
            {status.host}:{status.port}
          </Fact>
        )}
        <Fact label="LAN sharing">
          {status.lanSharing ? (
            <ul>
              {status.lanUrls.map((url) => (
                <li key={url}>
                  <code>{url}</code>
                </li>
              ))}
            </ul>
          ) : (
            'Off: only this machine can reach it'
          )}
        </Fact>
        <Fact label="Key">
          {status.keySet
            ? 'Required: clients send it as "Authorization: Bearer <key>"'
            : 'None (loopback only)'}
          {status.adminKeySet && '; an admin key guards pulls and deletes'}
        </Fact>
        <Fact label="Allowed origins">
          {status.allowedOrigins.length > 0
            ? status.allowedOrigins.join(', ')
            : 'None: browser pages on other sites cannot call it'}
        </Fact>
      </dl>
      <ServerSwitches status={status} />
      {status.controlledBy === 'command-line' && (
        <p className="mt-3 text-xs text-stone-500">
          Read-only here: the <code>hearth serve</code> command line decides (--host, --no-api,
          --allow-origin, --admin-key). Restart it to change these.
        </p>
      )}
    </Card>
  );
}

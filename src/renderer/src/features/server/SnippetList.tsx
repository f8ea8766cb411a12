import { CopyButton } from '../../components/CopyButton';
import { Card } from '../../components/ui';
import type { Snippet } from './snippets';

/** Ready-to-paste setups for the usual clients, each with its own copy button. */
export function SnippetList({ snippets }: { snippets: Snippet[] }): React.JSX.Element {
  return (
    <Card aria-labelledby="snippets-title">
      <h2 id="snippets-title" className="mb-3 font-semibold">
        Connect a client
      </h2>
      <div className="space-y-4">
        {snippets.map((s) => (
          <section key={s.id} aria-label={s.label} data-testid={`snippet-${s.id}`}>
            <div className="mb-1 flex items-center justify-between gap-2">
              <h3 className="text-sm font-medium">
                {s.label} <span className="font-normal text-stone-500">· {s.where}</span>
              </h3>
              <CopyButton text={s.text} label={`Copy ${s.label} snippet`} />
            </div>
            <pre className="overflow-x-auto rounded-md bg-stone-100 p-3 text-xs dark:bg-stone-950">
              <code>{s.text}</code>
            </pre>
            {s.note && <p className="mt-1 text-xs text-stone-500">{s.note}</p>}
          </section>
        ))}
      </div>
    </Card>
  );
}

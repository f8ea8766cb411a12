import { useMutation } from '@tanstack/react-query';
import { formatBytes } from '../../../../shared/domain/format';
import { FitBadge } from '../../components/FitBadge';
import { Button, Card, ErrorText, Page } from '../../components/ui';
import { useClient, useRoute } from '../../lib/hooks';

/** A repo's files by quant, each with its fit, size and a download button. */
export function ModelPageView({ repo }: { repo: string }): React.JSX.Element {
  const client = useClient();
  const details = useRoute('hub.model', { repo });
  const download = useMutation({
    mutationFn: (quant: string) => client.invoke('downloads.start', { repo, quant }),
    onSuccess: () => {
      window.location.hash = '#/downloads';
    },
  });
  const d = details.data;
  return (
    <Page
      title={repo}
      subtitle={
        d
          ? `${d.architecture ?? 'GGUF'} · ${d.license ?? 'licence unknown'} · ${d.downloads.toLocaleString()} downloads`
          : undefined
      }
    >
      {details.isPending && <p className="text-sm text-stone-500">Reading the model from Hugging Face…</p>}
      <ErrorText error={details.error} />
      {d?.recommended && (
        <Card className="border-ember-500/40 bg-ember-500/5">
          <p className="text-sm">
            <span className="font-semibold">Recommended: {d.recommended.variant.quant}.</span>{' '}
            {d.recommended.reason}
          </p>
        </Card>
      )}
      {d && (
        <Card>
          <table className="w-full text-left text-sm" data-testid="variants">
            <thead className="text-xs text-stone-500">
              <tr>
                <th className="py-1">Quant</th>
                <th>Size</th>
                <th>Fit on this machine</th>
                <th>Speed</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {d.variants.map((v) => (
                <tr key={v.path} className="border-t border-stone-100 dark:border-stone-800">
                  <td className="py-2 font-mono">
                    {v.quant}
                    {v.parts > 1 && <span className="ml-1 text-xs text-stone-500">({v.parts} parts)</span>}
                  </td>
                  <td>{formatBytes(v.sizeBytes)}</td>
                  <td>{v.fit ? <FitBadge fit={v.fit} /> : '—'}</td>
                  <td>
                    {v.fit?.speed.generationTps ? `~${v.fit.speed.generationTps.toFixed(1)} tok/s` : '—'}
                  </td>
                  <td className="text-right">
                    <Button
                      variant={d.recommended?.variant.path === v.path ? 'primary' : 'secondary'}
                      onClick={() => download.mutate(v.quant)}
                      disabled={download.isPending || v.fit?.verdict === 'does-not-fit'}
                    >
                      Download
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {d.variants.length === 0 && <p className="text-sm text-stone-500">This repo has no GGUF files.</p>}
          <ErrorText error={download.error} />
        </Card>
      )}
    </Page>
  );
}

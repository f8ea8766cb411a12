import { useMutation } from '@tanstack/react-query';
import type { DownloadJob } from '../../../../shared/contract';
import { formatBytes } from '../../../../shared/domain/format';
import { Button, Card, ErrorText, Page } from '../../components/ui';
import { useClient, useRoute } from '../../lib/hooks';

function eta(seconds: number | null): string {
  if (seconds === null) return '';
  return seconds > 90 ? `${Math.ceil(seconds / 60)} min left` : `${seconds} s left`;
}

function JobRow({ job }: { job: DownloadJob }): React.JSX.Element {
  const client = useClient();
  const act = useMutation({
    mutationFn: (route: 'downloads.pause' | 'downloads.resume' | 'downloads.cancel') =>
      client.invoke(route, { id: job.id }),
  });
  const share = job.bytesTotal > 0 ? job.bytesDone / job.bytesTotal : 0;
  return (
    <Card data-testid="download" data-status={job.status}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <p className="font-medium">
            {job.repo} <span className="font-mono text-sm text-stone-500">{job.quant}</span>
          </p>
          <p className="text-xs text-stone-500" data-testid="download-progress">
            {job.status === 'done'
              ? `Installed · ${formatBytes(job.bytesTotal)}`
              : `${formatBytes(job.bytesDone)} of ${formatBytes(job.bytesTotal)}`}
            {job.status === 'downloading' &&
              ` · ${formatBytes(job.bytesPerSecond)}/s · ${eta(job.etaSeconds)}`}
            {job.status !== 'done' && job.status !== 'downloading' && ` · ${job.status}`}
          </p>
        </div>
        <div className="flex gap-2">
          {(job.status === 'downloading' || job.status === 'queued') && (
            <Button variant="secondary" onClick={() => act.mutate('downloads.pause')}>
              Pause
            </Button>
          )}
          {(job.status === 'paused' || job.status === 'failed') && (
            <Button onClick={() => act.mutate('downloads.resume')}>
              {job.status === 'failed' ? 'Retry' : 'Resume'}
            </Button>
          )}
          {job.status !== 'done' && job.status !== 'cancelled' && (
            <Button variant="danger" onClick={() => act.mutate('downloads.cancel')}>
              Cancel
            </Button>
          )}
          {job.status === 'done' && (
            <a
              href="#/models"
              className="rounded-md px-3 py-1.5 text-sm font-medium text-ember-600 hover:underline"
            >
              Open in My models
            </a>
          )}
        </div>
      </div>
      <div
        className="mt-3 h-2 overflow-hidden rounded bg-stone-200 dark:bg-stone-800"
        role="progressbar"
        aria-valuenow={Math.round(share * 100)}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-label={`${job.repo} download`}
      >
        <div
          className={`h-full ${job.status === 'failed' ? 'bg-red-500' : job.status === 'done' ? 'bg-emerald-500' : 'bg-ember-500'}`}
          style={{ width: `${share * 100}%` }}
        />
      </div>
      {job.error && <ErrorText error={new Error(job.error.message)} />}
      <ErrorText error={act.error} />
    </Card>
  );
}

export function DownloadsView(): React.JSX.Element {
  const jobs = useRoute('downloads.list');
  return (
    <Page
      title="Downloads"
      subtitle="Downloads resume after a restart and are verified before they are installed."
    >
      <ErrorText error={jobs.error} />
      {jobs.data?.length === 0 && (
        <p className="text-sm text-stone-500">
          Nothing downloading. Find a model in{' '}
          <a className="text-ember-600 hover:underline" href="#/discover">
            Discover
          </a>
          .
        </p>
      )}
      <div className="space-y-3">
        {jobs.data?.map((job) => (
          <JobRow key={job.id} job={job} />
        ))}
      </div>
    </Page>
  );
}

import { ErrorText, Page } from '../../components/ui';
import { useRoute } from '../../lib/hooks';
import { RequestLogTable } from './RequestLogTable';
import { ServerStatusCard } from './ServerStatusCard';
import { SnippetList } from './SnippetList';
import { buildSnippets } from './snippets';

/** The OpenAI- and Ollama-compatible API: its address, its live request log, and how to connect. */
export function ServerView(): React.JSX.Element {
  const status = useRoute('server.status');
  const library = useRoute('library.list');
  // Snippets name a model the API really has; a placeholder until one is installed.
  const model = library.data?.find((m) => !m.error)?.id ?? 'your-model';
  const baseUrl = status.data?.baseUrl;
  return (
    <Page title="Server" subtitle="OpenAI- and Ollama-compatible API for your other apps">
      <ErrorText error={status.error} />
      {status.data && <ServerStatusCard status={status.data} />}
      <RequestLogTable />
      {baseUrl && status.data && (
        <SnippetList snippets={buildSnippets({ baseUrl, model, keySet: status.data.keySet })} />
      )}
    </Page>
  );
}

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { createClient } from './lib/client';
import { ClientContext } from './lib/hooks';
import { pickTransport } from './lib/transport/pick-transport';
import './styles.css';

const transport = pickTransport(window);
const client = createClient(transport.bridge);
const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
});

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <ClientContext.Provider value={client}>
      <QueryClientProvider client={queryClient}>
        <App transport={transport.kind} />
      </QueryClientProvider>
    </ClientContext.Provider>
  </StrictMode>,
);

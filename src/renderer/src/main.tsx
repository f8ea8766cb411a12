// First: it sends the first page's requests while the rest of the script is evaluated.
import { client, firstPageReady, queryClient, transport } from './lib/boot';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { ClientContext } from './lib/hooks';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
void firstPageReady.then(() =>
  createRoot(root).render(
    <StrictMode>
      <ClientContext.Provider value={client}>
        <QueryClientProvider client={queryClient}>
          <App transport={transport.kind} />
        </QueryClientProvider>
      </ClientContext.Provider>
    </StrictMode>,
  ),
);

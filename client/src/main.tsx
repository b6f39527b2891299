/** Start-up: language, state from the URL, the query cache, then the session and the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { initI18n } from './i18n/i18n';
import { makeQueryClient } from './api/queries';
import { decodeUrlState } from './state/urlState';
import { applyUrlState } from './state/useUrlSync';
import { SessionGate } from './components/SessionGate';
import './styles.css';

performance.mark('remap:script-start');
initI18n();
const fromUrl = decodeUrlState(window.location.hash);
applyUrlState(fromUrl);
const queryClient = makeQueryClient();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <SessionGate initialView={fromUrl.view} />
    </QueryClientProvider>
  </StrictMode>,
);

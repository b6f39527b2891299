/**
 * Asks who is signed in before anything else, then shows the login page or the map. The map's
 * stores and the URL hash stay untouched while the login page shows, so signing in again after a
 * lost session returns to the same view, layers and selection.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { checkSession } from '../api/auth';
import { useSessionStore } from '../state/session';
import { useUiStore } from '../state/stores';
import { useT } from '../i18n/i18n';
import type { View } from '../state/urlState';
import { App } from './App';
import { LoginPage } from './LoginPage';

export function SessionGate({ initialView }: { initialView?: View }) {
  const { t } = useT();
  const qc = useQueryClient();
  const status = useSessionStore((s) => s.status);
  const loginRequested = useSessionStore((s) => s.loginRequested);
  const username = useSessionStore((s) => s.user?.username);
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);
  const check = useCallback(() => {
    setError(null);
    checkSession(qc).catch((e: Error) => setError(e.message));
  }, [qc]);
  useEffect(() => {
    // Once per page (React's strict mode runs effects twice in development).
    if (started.current) return;
    started.current = true;
    check();
  }, [check]);

  if (error) {
    return (
      <div className="gate">
        <div className="notice error" role="alert">
          {t('status.apiError', { message: error })}
          <button type="button" onClick={check}>{t('status.retry')}</button>
        </div>
      </div>
    );
  }
  if (status === 'checking') {
    return (
      <div className="gate" data-testid="session-checking">
        <span className="spinner" /> {t('login.checking')}
      </div>
    );
  }
  if (status === 'signedOut' || (status === 'public' && loginRequested)) return <LoginPage />;
  // Back from the login page: the view the user left, not the one the page opened with. A new
  // user (or none, under public read) gets a fresh app: the query cache was emptied for them.
  return <App key={username ?? ''} initialView={useUiStore.getState().view ?? initialView} />;
}

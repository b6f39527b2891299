/**
 * 开始巡查 / 结束巡查: records the inspector's track with navigator.geolocation.watchPosition.
 * Every fix goes to localStorage at once (lib/patrolQueue.ts), so a reload resumes the recording
 * and a lost connection loses nothing; a finished patrol is uploaded as a `patrols` feature and
 * leaves the device only when the server accepted it (else 重新上传, and again when back online).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../api/http';
import { useSessionStore } from '../state/session';
import { useLayerStore, useUiStore } from '../state/stores';
import { canWrite } from '../lib/permissions';
import { useT } from '../i18n/i18n';
import { addFix, finish, flush, load, start, type PatrolState } from '../lib/patrolQueue';

const newId = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

export function PatrolRecorder() {
  const user = useSessionStore((s) => s.user);
  if (!user || !canWrite(user.role, 'patrols')) return null;
  return <Recorder inspector={user.username} />;
}

function Recorder({ inspector }: { inspector: string }) {
  const { t } = useT();
  const qc = useQueryClient();
  const bump = useLayerStore((s) => s.bumpVersion);
  const toast = useUiStore((s) => s.showToast);
  const [state, setState] = useState<PatrolState>(() => load(localStorage));
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const watch = useRef<number | null>(null);
  // One upload at a time: a patrol leaves the queue only after it was accepted, so a second
  // upload started meanwhile would send it again.
  const busy = useRef(false);

  const upload = useCallback(async () => {
    if (busy.current || !load(localStorage).pending.length) return;
    busy.current = true;
    setSending(true);
    const r = await flush(localStorage, (p) => api(`/api/collections/patrols/items`, { method: 'POST', json: p.feature }).then(() => undefined))
      .finally(() => {
        busy.current = false;
      });
    setSending(false);
    setState(load(localStorage));
    if (r.sent) {
      bump('patrols');
      void qc.invalidateQueries({ queryKey: ['analysis'] });
      toast({ key: 'patrol.sent' });
    }
    setError(r.error ? t('patrol.sendFailed', { message: (r.error as Error).message ?? String(r.error) }) : null);
  }, [bump, qc, t, toast]);

  const watchPosition = useCallback(() => {
    if (watch.current !== null) return;
    if (!('geolocation' in navigator)) {
      setError(t('patrol.noGeolocation'));
      return;
    }
    watch.current = navigator.geolocation.watchPosition(
      (pos) => setState(addFix(localStorage, { lon: pos.coords.longitude, lat: pos.coords.latitude, accuracy: pos.coords.accuracy, t: pos.timestamp || Date.now() })),
      (e) => setError(t('patrol.geoError', { message: e.message })),
      { enableHighAccuracy: true, maximumAge: 5000, timeout: 60_000 },
    );
  }, [t]);

  const stopWatching = () => {
    if (watch.current !== null) navigator.geolocation.clearWatch(watch.current);
    watch.current = null;
  };

  // A recording that was going on before a reload goes on; what waits is sent, now and when back
  // online. Once per mount: the latest callbacks are reached through refs.
  const latest = useRef({ upload, watchPosition });
  latest.current = { upload, watchPosition };
  useEffect(() => {
    if (load(localStorage).active) latest.current.watchPosition();
    void latest.current.upload();
    const online = () => void latest.current.upload();
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('online', online);
      stopWatching();
    };
  }, []);

  const begin = () => {
    setError(null);
    setState(start(localStorage, inspector, Date.now()));
    watchPosition();
  };
  const end = () => {
    stopWatching();
    const r = finish(localStorage, Date.now(), newId);
    setState(r.state);
    if (r.tooShort) setError(t('patrol.tooShort'));
    else void upload();
  };

  const recording = Boolean(state.active);
  return (
    <div className="patrol-recorder" data-testid="patrol-recorder" title={t('patrol.title')}>
      {recording ? (
        <>
          <span className="recording" role="status" data-testid="patrol-recording">{t('patrol.recording', { count: state.active!.points.length })}</span>
          <button type="button" onClick={end} data-testid="patrol-stop">{t('patrol.stop')}</button>
        </>
      ) : (
        <button type="button" onClick={begin} data-testid="patrol-start">{t('patrol.start')}</button>
      )}
      {state.pending.length > 0 && (
        <>
          <span data-testid="patrol-pending">{t('patrol.pending', { count: state.pending.length })}</span>
          <button type="button" onClick={() => void upload()} disabled={sending} data-testid="patrol-retry">{t('patrol.retry')}</button>
        </>
      )}
      {error && <span className="field-error" role="alert" title={error} data-testid="patrol-error">{error}</span>}
    </div>
  );
}

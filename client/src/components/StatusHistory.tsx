/**
 * 状态记录: every status change of a garbage point, demolition site or finding (who, when, note,
 * photo), and for roles that may write the layer the next allowed steps of its lifecycle, each
 * with an optional note and photo. A refused step shows the server's reason.
 */
import { useState } from 'react';
import { findCollection, type EnumProperty } from '../../../server/collections/registry';
import { uploadPhoto, useStatusHistory, useTransition } from '../api/workflow';
import { useT } from '../i18n/i18n';
import { label, shanghaiDateTime } from '../lib/format';
import { describePhotoError } from '../lib/reasons';
import { useUiStore } from '../state/stores';
import { PhotoStrip } from './FindingPhotos';

export function StatusHistory({ collection, id, writable }: { collection: string; id: number; writable: boolean }) {
  const { t, lang } = useT();
  const history = useStatusHistory(collection, id);
  const transition = useTransition();
  const toast = useUiStore((s) => s.showToast);
  const [note, setNote] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const statusDef = findCollection(collection)!.properties.find((p) => p.name === 'status') as EnumProperty;
  const statusLabel = (s: string | null) => (s ? label(statusDef.valueLabels[s], lang) ?? s : t('status.created'));

  const go = async (to: string) => {
    setError(null);
    try {
      const photo = file ? await uploadPhoto(file) : undefined;
      await transition.mutateAsync({ collection, id, to, photo_id: photo?.id, note: note.trim() || undefined });
      setNote('');
      setFile(null);
      toast({ key: 'status.changed', vars: { status: statusDef.valueLabels[to] } });
    } catch (e) {
      // A refused photo is said in the UI's language; a refused step as the server said it.
      setError(describePhotoError(e, t));
    }
  };

  return (
    <section className="status-history" data-testid="status-history">
      <h4>{t('status.history')}</h4>
      {history.isPending && <p className="hint"><span className="spinner small" /></p>}
      {history.data && history.data.events.length === 0 && <p className="hint">{t('status.none')}</p>}
      {history.data && history.data.events.length > 0 && (
        <ol className="history-list">
          {history.data.events.map((e) => (
            <li key={e.id} data-to={e.to_status}>
              <p className="history-head">
                <span>{e.from_status ? `${statusLabel(e.from_status)} → ` : ''}<strong>{statusLabel(e.to_status)}</strong></span>
              </p>
              <p className="hint">{t('status.by', { user: e.by_user ?? '—', at: shanghaiDateTime(e.at) })}</p>
              {e.note && <p className="status-note">{e.note}</p>}
              {e.photo_id && <PhotoStrip ids={[e.photo_id]} />}
            </li>
          ))}
        </ol>
      )}
      {writable && history.data && history.data.next.length > 0 && (
        <div className="transition-form" data-testid="transition-form">
          <label className="field">
            <span>{t('status.note')}</span>
            <input type="text" maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
          </label>
          <label className="field">
            <span>{t('status.photo')}</span>
            <input type="file" accept="image/jpeg,image/png,image/heic,image/heif,image/webp,.heic" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </label>
          <div className="actions">
            {history.data.next.map((to) => (
              <button key={to} type="button" className="primary" disabled={transition.isPending} onClick={() => void go(to)} data-testid={`transition-${to}`}>
                {t('status.changeTo', { status: statusLabel(to) })}
              </button>
            ))}
          </div>
        </div>
      )}
      {error && <p className="field-error" role="alert">{error}</p>}
    </section>
  );
}

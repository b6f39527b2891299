/**
 * One notice: its findings on the map and in a table, its history, the moves this user may make
 * (buttons from the lifecycle and the role), a photo to attach (the "after" photo of a reported
 * fix, the re-check photo of a verification) and the printable PDF.
 */
import { useEffect, useState } from 'react';
import { uploadPhoto, useNotice, useTransition, type UploadedPhoto } from '../../api/notices';
import type { NoticeStatus } from '../../../../server/notices/lifecycle';
import { useSessionStore } from '../../state/session';
import { useAnalysisStore } from '../../state/stores';
import { useMapController } from '../../map/MapContext';
import { noticeMoves } from '../../lib/permissions';
import { useT } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/catalog';
import { categoryLabel, NoticeBadges } from './NoticeBadges';
import { describeNoticeError, describePhotoError } from '../../lib/reasons';

const NEEDS_PHOTO: readonly NoticeStatus[] = ['reported_fixed', 'verified'];

export function NoticeDetail({ id, onBack }: { id: number; onBack(): void }) {
  const { t } = useT();
  const notice = useNotice(id);
  const move = useTransition(id);
  const user = useSessionStore((s) => s.user);
  const setOverlay = useAnalysisStore((s) => s.setOverlay);
  const map = useMapController();
  const [photo, setPhoto] = useState<UploadedPhoto | null>(null);
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const n = notice.data;

  // Its findings on the map (rings over the layers), framed; gone when the notice closes.
  useEffect(() => {
    if (!n) return;
    setOverlay({
      type: 'FeatureCollection',
      features: n.findings.map((f, i) => ({ type: 'Feature', id: f.id, geometry: { type: 'Point', coordinates: [f.lon, f.lat] }, properties: { layer: 'notice_finding', label: String(i + 1), category: f.category, deadline: f.deadline } })),
    });
    if (n.findings.length) {
      const lons = n.findings.map((f) => f.lon);
      const lats = n.findings.map((f) => f.lat);
      map?.fitBounds([Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)], 17);
    }
  }, [n, map, setOverlay]);
  useEffect(() => () => setOverlay(null), [setOverlay]);

  if (notice.isPending) return <p className="hint"><span className="spinner small" /> {t('search.loading')}</p>;
  if (notice.isError || !n) return <p className="field-error" role="alert">{(notice.error as Error | null)?.message}</p>;
  const moves = noticeMoves(user, n.village, n.status);

  return (
    <div className="analysis-body notice-detail" data-testid="notice-detail">
      <button type="button" className="link" onClick={onBack} data-testid="notice-back">← {t('notices.back')}</button>
      <h3 data-testid="notice-number">{n.number}</h3>
      <p>
        {n.village} · {t('notices.deadline')} {n.deadline} <NoticeBadges status={n.status} overdue={n.overdue} />
      </p>
      <a className="button-link" href={`/api/notices/${n.id}.pdf`} target="_blank" rel="noreferrer" data-testid="notice-pdf">{t('notices.pdf')}</a>
      <table className="data-table" data-testid="notice-findings">
        <thead><tr><th>#</th><th>{t('notices.category')}</th><th>{t('notices.place')}</th><th>{t('notices.deadline')}</th><th>{t('notices.findingStatus')}</th></tr></thead>
        <tbody>
          {n.findings.map((f, i) => (
            <tr key={f.id}>
              <td>{i + 1}</td>
              <td>{categoryLabel(t, f.category)}</td>
              <td>{[f.road_code, f.stake].filter(Boolean).join(' ') || `${f.lon.toFixed(5)}, ${f.lat.toFixed(5)}`}</td>
              <td className={f.overdue ? 'warn' : undefined}>{f.deadline}</td>
              <td>{t(`notices.findingStatus.${f.status}` as MessageKey)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {moves.length > 0 && (
        <section className="notice-actions" data-testid="notice-actions">
          <h4>{t('notices.actions')}</h4>
          {moves.some((m) => NEEDS_PHOTO.includes(m)) && (
            <div className="field">
              <label htmlFor="notice-photo">{t(moves.includes('verified') ? 'notices.photoRecheck' : 'notices.photoAfter')}</label>
              <input id="notice-photo" type="file" accept="image/*" capture="environment" disabled={uploading} data-testid="notice-photo"
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  if (!file) return;
                  setUploading(true);
                  setUploadError(null);
                  uploadPhoto(file).then(setPhoto, (err: unknown) => setUploadError(describePhotoError(err, t))).finally(() => setUploading(false));
                }} />
              {uploading && <p className="hint"><span className="spinner small" /> {t('notices.uploading')}</p>}
              {uploadError && <p className="field-error" role="alert">{uploadError}</p>}
              {photo && (
                <p className="hint" data-testid="notice-photo-done">
                  {photo.thumbnail_url && <img src={photo.thumbnail_url} alt="" className="notice-thumb" />}
                  {photo.exif.lon !== null ? t('notices.photoLocated') : t('notices.photoNoPosition')}
                </p>
              )}
            </div>
          )}
          <div className="field">
            <label htmlFor="notice-move-note">{t('notices.note')}</label>
            <textarea id="notice-move-note" rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
          <div className="analysis-actions">
            {moves.map((to) => {
              const missing = NEEDS_PHOTO.includes(to) && !photo;
              return (
                <button key={to} type="button" className={to === 'reopened' ? undefined : 'primary'} disabled={missing || move.isPending} title={missing ? t('notices.needsPhoto') : undefined}
                  onClick={() => move.mutate({ to, ...(photo && NEEDS_PHOTO.includes(to) ? { photo_id: photo.id } : {}), ...(note.trim() ? { note: note.trim() } : {}) }, { onSuccess: () => { setPhoto(null); setNote(''); } })}
                  data-testid={`notice-move-${to}`}>
                  {t(`notices.move.${to}` as MessageKey)}
                </button>
              );
            })}
          </div>
          {move.isError && <p className="field-error" role="alert" data-testid="notice-move-error">{describeNoticeError(move.error, n.findings.map((f) => f.id), t)}</p>}
        </section>
      )}

      <h4>{t('notices.history')}</h4>
      <ol className="notice-events" data-testid="notice-events">
        {n.events.map((e) => (
          <li key={e.id}>
            {new Date(e.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })} · {e.by_user ?? '—'} · {t(`notices.status.${e.to_status}` as MessageKey)}
            {e.photo_id !== null && <> · {t('notices.photo')} #{e.photo_id}</>}
            {e.note && <> · {e.note}</>}
          </li>
        ))}
      </ol>
    </div>
  );
}

/** A new notice from a village's open findings: pick them, see the deadline each gets, optionally one deadline for all. */
import { useState } from 'react';
import { useCandidates, useCreateNotice } from '../../api/notices';
import { useT } from '../../i18n/i18n';
import { categoryLabel } from './NoticeBadges';

export function NewNotice({ village, onCancel, onCreated }: { village: string; onCancel(): void; onCreated(id: number): void }) {
  const { t } = useT();
  const candidates = useCandidates(village);
  const create = useCreateNotice();
  const [picked, setPicked] = useState<number[]>([]);
  const [deadline, setDeadline] = useState('');
  const [note, setNote] = useState('');
  const today = candidates.data?.today;
  const findings = candidates.data?.findings ?? [];
  return (
    <form
      className="analysis-body notice-new"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ village, finding_ids: picked, ...(deadline ? { deadline } : {}), ...(note.trim() ? { note: note.trim() } : {}) }, { onSuccess: (n) => onCreated(n.id) });
      }}
      data-testid="notice-new"
    >
      <h3>{t('notices.newFor', { village })}</h3>
      {candidates.isPending && <p className="hint"><span className="spinner small" /> {t('search.loading')}</p>}
      {candidates.isError && <p className="field-error" role="alert">{(candidates.error as Error).message}</p>}
      {candidates.data && !findings.length && <p className="hint" data-testid="notice-new-empty">{t('notices.noOpenFindings')}</p>}
      {findings.length > 0 && (
        <table className="data-table">
          <thead><tr><th /><th>{t('notices.category')}</th><th>{t('notices.place')}</th><th>{t('notices.deadline')}</th></tr></thead>
          <tbody>
            {findings.map((f) => (
              <tr key={f.id}>
                <td>
                  <input type="checkbox" aria-label={`${categoryLabel(t, f.category)} #${f.id}`} checked={picked.includes(f.id)}
                    onChange={(e) => setPicked(e.target.checked ? [...picked, f.id] : picked.filter((x) => x !== f.id))} data-testid={`candidate-${f.id}`} />
                </td>
                <td>{categoryLabel(t, f.category)}{f.description ? <span className="hint"> {f.description}</span> : null}</td>
                <td>{[f.road_code, f.stake].filter(Boolean).join(' ') || '—'}</td>
                <td>{deadline || f.deadline}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="field">
        <label htmlFor="notice-deadline">{t('notices.deadlineAll')}</label>
        <input id="notice-deadline" type="date" min={today} value={deadline} onChange={(e) => setDeadline(e.target.value)} data-testid="notice-deadline" />
        <p className="hint">{t('notices.deadlineHint')}</p>
      </div>
      <div className="field">
        <label htmlFor="notice-note">{t('notices.note')}</label>
        <textarea id="notice-note" rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      {create.isError && <p className="field-error" role="alert" data-testid="notice-new-error">{(create.error as Error).message}</p>}
      <div className="analysis-actions">
        <button type="submit" className="primary" disabled={!picked.length || create.isPending} data-testid="notice-create">{t('notices.issue', { count: picked.length })}</button>
        <button type="button" onClick={onCancel}>{t('notices.cancel')}</button>
      </div>
    </form>
  );
}

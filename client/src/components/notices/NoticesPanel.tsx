/**
 * 整改通知: notices per village with state and overdue badges, open and overdue counts per
 * village, a new notice from the chosen village's open findings, and one notice opened.
 */
import { useState } from 'react';
import { useAllItems } from '../../api/queries';
import { useNotices } from '../../api/notices';
import { useSessionStore } from '../../state/session';
import { canIssueNotices } from '../../lib/permissions';
import { useT } from '../../i18n/i18n';
import { NoticeBadges } from './NoticeBadges';
import { NewNotice } from './NewNotice';
import { NoticeDetail } from './NoticeDetail';

export function NoticesPanel() {
  const { t } = useT();
  const user = useSessionStore((s) => s.user);
  const [village, setVillage] = useState<string | null>(user?.role === 'village_officer' ? user.villages[0] ?? null : null);
  const [openId, setOpenId] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const villages = useAllItems('villages', true);
  const list = useNotices(village);
  const names = [...new Set((villages.data?.features ?? []).map((f) => String(f.properties.name ?? '')).filter(Boolean))].sort((a, b) => a.localeCompare(b, 'zh-CN'));

  if (openId !== null) return <NoticeDetail id={openId} onBack={() => setOpenId(null)} />;
  if (creating && village) {
    return <NewNotice village={village} onCancel={() => setCreating(false)} onCreated={(id) => { setCreating(false); setOpenId(id); }} />;
  }
  const counts = list.data?.villages ?? [];
  return (
    <div className="analysis-body notices-panel" data-testid="notices-panel">
      <p className="hint">{t('notices.desc')}</p>
      <div className="notices-toolbar">
        <label htmlFor="notices-village">{t('notices.village')}</label>
        <select id="notices-village" value={village ?? ''} onChange={(e) => setVillage(e.target.value || null)} data-testid="notices-village">
          <option value="">{t('notices.allVillages')}</option>
          {names.map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
        {canIssueNotices(user?.role) && (
          <button type="button" className="primary" disabled={!village} title={village ? undefined : t('notices.pickVillage')} onClick={() => setCreating(true)} data-testid="notices-new">
            {t('notices.new')}
          </button>
        )}
      </div>
      {list.isPending && <p className="hint"><span className="spinner small" /> {t('search.loading')}</p>}
      {list.isError && (
        <div className="notice error" role="alert">
          {(list.error as Error).message}
          <button type="button" onClick={() => void list.refetch()}>{t('status.retry')}</button>
        </div>
      )}
      {!village && counts.length > 0 && (
        <table className="data-table" data-testid="notices-by-village">
          <thead><tr><th>{t('notices.village')}</th><th>{t('notices.open')}</th><th>{t('notices.overdueCount')}</th></tr></thead>
          <tbody>
            {counts.map((c) => (
              <tr key={c.village}>
                <td><button type="button" className="link" onClick={() => setVillage(c.village)}>{c.village}</button></td>
                <td>{c.open}</td>
                <td className={c.overdue ? 'warn' : undefined}>{c.overdue}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data && (list.data.notices.length ? (
        <ul className="notice-list" data-testid="notice-list">
          {list.data.notices.map((n) => (
            <li key={n.id}>
              <button type="button" className="notice-row" onClick={() => setOpenId(n.id)} data-testid={`notice-${n.id}`}>
                <span className="notice-number">{n.number}</span>
                <span className="notice-meta">{n.village} · {t('notices.findingCount', { count: n.finding_count })} · {t('notices.deadline')} {n.deadline}</span>
                <NoticeBadges status={n.status} overdue={n.overdue} />
              </button>
            </li>
          ))}
        </ul>
      ) : <p className="hint" data-testid="notice-list-empty">{t('notices.none')}</p>)}
    </div>
  );
}

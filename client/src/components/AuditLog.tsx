/**
 * The audit log (admin): every change, newest first, filtered by user, layer, action and days,
 * a page at a time. A feature's id opens it on the map.
 */
import { useState } from 'react';
import { COLLECTIONS, findCollection } from '../../../server/collections/registry';
import { useAuditLog, useUsers } from '../api/auth';
import { useSessionStore } from '../state/session';
import { useUiStore } from '../state/stores';
import { useT } from '../i18n/i18n';
import { label, shanghaiDateTime } from '../lib/format';
import { pageInfo, type AuditFilters } from '../lib/audit';
import { MAP_LAYERS } from '../map/filters';
import { AuditChanges, AUDIT_ACTIONS, useActionLabel } from './AuditChanges';

const PAGE = 25;

export function AuditLog() {
  const { t, lang } = useT();
  const [filters, setFilters] = useState<AuditFilters>({});
  const [offset, setOffset] = useState(0);
  const log = useAuditLog(filters, PAGE, offset);
  const users = useUsers();
  const select = useUiStore((s) => s.select);
  const openAdmin = useSessionStore((s) => s.openAdmin);
  const actionLabel = useActionLabel();
  const set = (patch: Partial<AuditFilters>) => {
    setFilters({ ...filters, ...patch });
    setOffset(0);
  };
  const entries = log.data?.entries ?? [];
  const info = pageInfo(offset, entries.length, PAGE, log.data?.total);
  const badRange = Boolean(filters.from && filters.to && filters.from > filters.to);

  return (
    <div className="audit-log" data-testid="audit-log">
      <div className="audit-filters" role="group" aria-label={t('audit.filters')}>
        <label>
          {t('audit.user')}
          <select value={filters.user ?? ''} onChange={(e) => set({ user: e.target.value || undefined })} data-testid="audit-user">
            <option value="">{t('audit.all')}</option>
            {(users.data ?? []).map((u) => <option key={u.username} value={u.username}>{u.username}</option>)}
          </select>
        </label>
        <label>
          {t('audit.collection')}
          <select value={filters.collection ?? ''} onChange={(e) => set({ collection: e.target.value || undefined })} data-testid="audit-collection">
            <option value="">{t('audit.all')}</option>
            {COLLECTIONS.filter((c) => (MAP_LAYERS as readonly string[]).includes(c.id) || c.id === 'waterways').map((c) => <option key={c.id} value={c.id}>{label(c.title, lang)}</option>)}
          </select>
        </label>
        <label>
          {t('audit.action')}
          <select value={filters.action ?? ''} onChange={(e) => set({ action: e.target.value || undefined })} data-testid="audit-action">
            <option value="">{t('audit.all')}</option>
            {AUDIT_ACTIONS.map((a) => <option key={a} value={a}>{actionLabel(a)}</option>)}
          </select>
        </label>
        <label>
          {t('filter.from')}
          <input type="date" value={filters.from ?? ''} onChange={(e) => set({ from: e.target.value || undefined })} data-testid="audit-from" />
        </label>
        <label>
          {t('filter.to')}
          <input type="date" value={filters.to ?? ''} onChange={(e) => set({ to: e.target.value || undefined })} data-testid="audit-to" />
        </label>
        {Object.values(filters).some(Boolean) && <button type="button" className="link" onClick={() => { setFilters({}); setOffset(0); }}>{t('filter.reset')}</button>}
      </div>
      {badRange && <p className="field-error" role="alert">{t('audit.badRange')}</p>}
      {log.isError && (
        <p className="field-error" role="alert">
          {t('admin.loadFailed', { message: (log.error as Error).message })}{' '}
          <button type="button" onClick={() => void log.refetch()}>{t('status.retry')}</button>
        </p>
      )}
      {log.isPending && <p className="hint"><span className="spinner small" /> {t('admin.loading')}</p>}
      {log.data && entries.length === 0 && <p className="hint" data-testid="audit-empty">{t('audit.empty')}</p>}
      {entries.length > 0 && (
        <div className={`table-wrap tall audit-table-wrap${log.isPlaceholderData ? ' refreshing' : ''}`}>
          <table className="data-table audit-table" data-testid="audit-table">
            <thead>
              <tr>
                <th>{t('audit.at')}</th>
                <th>{t('audit.user')}</th>
                <th>{t('audit.action')}</th>
                <th>{t('audit.collection')}</th>
                <th>{t('audit.feature')}</th>
                <th>{t('audit.changes')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => {
                const c = e.collection ? findCollection(e.collection) : undefined;
                const id = Number(e.feature_id);
                const openable = c && (MAP_LAYERS as readonly string[]).includes(c.id) && Number.isInteger(id) && e.action !== 'delete';
                return (
                  <tr key={e.id} data-action={e.action}>
                    <td><time dateTime={e.at}>{shanghaiDateTime(e.at)}</time></td>
                    <td>{e.username ?? '—'}</td>
                    <td><span className={`action-tag action-${e.action}`}>{actionLabel(e.action)}</span></td>
                    <td>{c ? label(c.title, lang) : e.collection ?? '—'}</td>
                    <td>
                      {openable ? (
                        <button type="button" className="link" onClick={() => { select({ collection: c.id, id }); openAdmin(null); }} title={t('audit.openFeature')}>{id}</button>
                      ) : (e.feature_id ?? '—')}
                    </td>
                    <td className="audit-changes"><AuditChanges entry={e} collection={c} limit={4} /></td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <div className="pager" data-testid="audit-pager">
        <button type="button" disabled={!info.hasPrev || log.isFetching} onClick={() => setOffset(Math.max(0, offset - PAGE))} data-testid="audit-prev">{t('audit.prev')}</button>
        <span data-testid="audit-range">
          {log.data?.total !== undefined
            ? t('audit.rangeOf', { first: info.first, last: info.last, total: log.data.total })
            : t('audit.range', { first: info.first, last: info.last })}
        </span>
        <button type="button" disabled={!info.hasNext || log.isFetching} onClick={() => setOffset(offset + PAGE)} data-testid="audit-next">{t('audit.next')}</button>
      </div>
    </div>
  );
}

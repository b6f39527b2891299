/**
 * 修改记录: who changed the feature, when, how, and each changed field before → after. Loaded
 * when opened (most features are looked at, few histories are).
 */
import { useState } from 'react';
import { findCollection } from '../../../server/collections/registry';
import { useFeatureHistory } from '../api/auth';
import { useT } from '../i18n/i18n';
import { shanghaiDateTime } from '../lib/format';
import { AuditChanges, useActionLabel } from './AuditChanges';

export function FeatureHistory({ collection, id }: { collection: string; id: number }) {
  const { t } = useT();
  const [open, setOpen] = useState(false);
  const history = useFeatureHistory(collection, id, open);
  const actionLabel = useActionLabel();
  const c = findCollection(collection);
  return (
    <details className="history" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)} data-testid="feature-history">
      <summary>{t('history.title')}{history.data ? ` (${history.data.length})` : ''}</summary>
      {history.isPending && open && <p className="hint"><span className="spinner small" /> {t('history.loading')}</p>}
      {history.isError && (
        <p className="field-error" role="alert">
          {t('history.failed', { message: (history.error as Error).message })}{' '}
          <button type="button" className="link" onClick={() => void history.refetch()}>{t('status.retry')}</button>
        </p>
      )}
      {history.data && history.data.length === 0 && <p className="hint">{t('history.empty')}</p>}
      {history.data && history.data.length > 0 && (
        <ol className="history-list" data-testid="history-list">
          {[...history.data].sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || b.id - a.id).map((e) => (
            <li key={e.id} data-action={e.action}>
              <p className="history-head">
                <time dateTime={e.at}>{shanghaiDateTime(e.at)}</time>
                <span className="history-user">{e.username ?? t('history.system')}</span>
                <span className={`action-tag action-${e.action}`}>{actionLabel(e.action)}</span>
              </p>
              <AuditChanges entry={e} collection={c} />
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}

/** A notice's state and, when the village is late, an overdue badge. */
import type { NoticeStatus } from '../../../../server/notices/lifecycle';
import { useT } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/catalog';

export function NoticeBadges({ status, overdue }: { status: NoticeStatus; overdue: boolean }) {
  const { t } = useT();
  return (
    <span className="notice-badges">
      <span className={`badge status-${status}`} data-testid="notice-status">{t(`notices.status.${status}` as MessageKey)}</span>
      {overdue && <span className="badge overdue" data-testid="notice-overdue">{t('notices.overdue')}</span>}
    </span>
  );
}

export function categoryLabel(t: (k: MessageKey) => string, category: string): string {
  return t(`notices.category.${category}` as MessageKey);
}

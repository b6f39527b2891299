/** The fields one audit entry changed, each as "label: before → after". */
import type { CollectionDef } from '../../../server/collections/registry';
import { useT } from '../i18n/i18n';
import { label, shanghaiDateTime } from '../lib/format';
import { isRole } from '../lib/permissions';
import { auditChanges, formatChangeValue, type AuditEntry } from '../lib/audit';
import type { MessageKey } from '../i18n/catalog';

/** The server's actions (server/audit/log.ts AUDIT_ACTIONS). */
export const AUDIT_ACTIONS = [
  'create', 'replace', 'update', 'delete', 'import', 'settings',
  'login', 'login_failed', 'logout', 'password_change', 'token_create', 'user_create', 'user_update',
] as const;
const KNOWN_ACTIONS: readonly string[] = AUDIT_ACTIONS;

/** Fields of a user's audit entry, by catalogue key. */
const USER_FIELDS: Record<string, MessageKey> = {
  username: 'login.username',
  role: 'admin.role',
  villages: 'admin.villages',
  disabled: 'admin.disabled',
  password_changed_at: 'admin.passwordChangedAt',
};

/** Action names in the current language; an action the client does not know shows as sent. */
export function useActionLabel(): (action: string) => string {
  const { t } = useT();
  return (action) => (KNOWN_ACTIONS.includes(action) ? t(`audit.action.${action}` as MessageKey) : action);
}

export function AuditChanges({ entry, collection, limit }: { entry: AuditEntry; collection?: CollectionDef; limit?: number }) {
  const { t, lang } = useT();
  const changes = auditChanges(entry, collection);
  if (!changes.length) return null;
  const shown = limit ? changes.slice(0, limit) : changes;
  const aboutUser = entry.action.startsWith('user_');
  const fieldName = (field: string) => {
    if (field === 'geometry') return t('feature.geometry');
    if (aboutUser && USER_FIELDS[field]) return t(USER_FIELDS[field]);
    return label(collection?.properties.find((p) => p.name === field)?.label, lang) || field;
  };
  const show = (field: string, value: unknown) => {
    if (aboutUser && field === 'role' && isRole(value)) return t(`role.${value}` as 'role.admin');
    if (aboutUser && field === 'disabled' && typeof value === 'boolean') return t(value ? 'admin.yes' : 'admin.no');
    if (aboutUser && field === 'villages' && Array.isArray(value)) return value.length ? value.join('、') : '—';
    if (aboutUser && field === 'password_changed_at' && typeof value === 'string') return shanghaiDateTime(value);
    return formatChangeValue(collection, field, value, lang);
  };
  return (
    <ul className="changes">
      {shown.map((ch) => (
        <li key={ch.field} data-field={ch.field}>
          <span className="change-field">{fieldName(ch.field)}</span>
          {entry.action === 'create' || entry.action === 'user_create' ? (
            <span className="change-after">{show(ch.field, ch.after)}</span>
          ) : entry.action === 'delete' ? (
            <del className="change-before">{show(ch.field, ch.before)}</del>
          ) : (
            <>
              <del className="change-before">{show(ch.field, ch.before)}</del>
              <span aria-label={t('history.to')} className="change-arrow">→</span>
              <span className="change-after">{show(ch.field, ch.after)}</span>
            </>
          )}
        </li>
      ))}
      {shown.length < changes.length && <li className="hint">{t('history.more', { count: changes.length - shown.length })}</li>}
    </ul>
  );
}

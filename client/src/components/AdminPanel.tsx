/**
 * The admin screens over the map (a sheet on phones): users and the audit log for admins, the
 * rules (settings) for admins and planners. The header menu offers each only to those roles; the
 * server refuses everyone else with 403.
 */
import { useEffect, useRef } from 'react';
import { useSessionStore, type AdminTab } from '../state/session';
import { canEditSettings, canManageUsers, type Role } from '../lib/permissions';
import { useT } from '../i18n/i18n';
import { UsersAdmin } from './UsersAdmin';
import { AuditLog } from './AuditLog';
import { SettingsEditor } from './SettingsEditor';

const TAB_LABEL = { users: 'admin.users', audit: 'admin.audit', settings: 'settings.title' } as const;

/** The screens this role may open. */
export function adminTabs(role: Role | undefined): AdminTab[] {
  return [...(canManageUsers(role) ? (['users', 'audit'] as const) : []), ...(canEditSettings(role) ? (['settings'] as const) : [])];
}

export function AdminPanel() {
  const { t } = useT();
  const tab = useSessionStore((s) => s.adminTab);
  const openAdmin = useSessionStore((s) => s.openAdmin);
  const role = useSessionStore((s) => s.user?.role);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (tab) heading.current?.focus();
  }, [tab]);
  const tabs = adminTabs(role);
  if (!tab || !tabs.includes(tab)) return null;
  return (
    <>
    {/* Dims the map behind: these screens are about accounts and rules, not the map. A click on it closes them. */}
    <div className="admin-backdrop" aria-hidden="true" onClick={() => openAdmin(null)} />
    <section
      className="panel admin-panel"
      role="dialog"
      aria-labelledby="admin-title"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !(e.target as HTMLElement).closest('dialog')) openAdmin(null);
      }}
      data-testid="admin-panel"
    >
      <div className="panel-head tabs-head">
        <h2 id="admin-title" ref={heading} tabIndex={-1} className="visually-hidden">{t('admin.title')}</h2>
        <div className="side-tabs" role="tablist" aria-label={t('admin.title')}>
          {tabs.map((k) => (
            <button key={k} type="button" role="tab" aria-selected={tab === k} className={tab === k ? 'active' : ''} onClick={() => openAdmin(k)} data-testid={`admin-tab-${k}`}>
              {t(TAB_LABEL[k])}
            </button>
          ))}
        </div>
        <button type="button" className="icon-button" onClick={() => openAdmin(null)} aria-label={t('feature.close')} data-testid="admin-close">
          <span aria-hidden="true">✕</span>
        </button>
      </div>
      <div className="admin-body" role="tabpanel">
        {tab === 'users' ? <UsersAdmin /> : tab === 'audit' ? <AuditLog /> : <SettingsEditor />}
      </div>
    </section>
    </>
  );
}

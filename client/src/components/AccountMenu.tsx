/**
 * The signed-in user in the header (name and role) with a menu: change password, the admin
 * screens (admins only) and sign out. Under public read, a 登录 button instead.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useLogout } from '../api/auth';
import { useSessionStore } from '../state/session';
import { canEditSettings, canManageUsers } from '../lib/permissions';
import { useT } from '../i18n/i18n';

export function AccountMenu() {
  const { t } = useT();
  const user = useSessionStore((s) => s.user);
  const status = useSessionStore((s) => s.status);
  const requestLogin = useSessionStore((s) => s.requestLogin);
  const openAdmin = useSessionStore((s) => s.openAdmin);
  const openPassword = useSessionStore((s) => s.openPassword);
  const logout = useLogout();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  // A click anywhere else closes the menu.
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    root.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);

  if (status === 'public') {
    return (
      <button type="button" className="account-button" onClick={() => requestLogin(true)} data-testid="login-button">
        {t('account.signIn')}
      </button>
    );
  }
  if (!user) return null;

  const choose = (action: () => void) => {
    setOpen(false);
    button.current?.focus();
    action();
  };
  // Arrow keys move between the items, Esc closes and returns to the button.
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const items = [...(root.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'Escape') {
      e.preventDefault();
      setOpen(false);
      button.current?.focus();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = e.key === 'ArrowDown' ? (i + 1) % items.length : (i - 1 + items.length) % items.length;
      items[next]?.focus();
    }
  };
  const roleName = t(`role.${user.role}` as 'role.admin');

  return (
    <div className="account" ref={root} onKeyDown={onKey}>
      <button
        ref={button}
        type="button"
        className="account-button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        title={t('account.menu')}
        data-testid="account-button"
      >
        <span className="account-name" data-testid="account-name">{user.username}</span>
        <span className="role-badge" data-testid="account-role">{roleName}</span>
        <span aria-hidden="true" className="caret">▾</span>
      </button>
      {open && (
        <div className="account-menu" role="menu" aria-label={t('account.menu')} data-testid="account-menu">
          <p className="account-who">
            {t('account.signedInAs', { name: user.username, role: roleName })}
            {user.villages.length > 0 && <span className="hint">{t('account.villages', { villages: user.villages.join('、') })}</span>}
          </p>
          <button type="button" role="menuitem" onClick={() => choose(() => openPassword(true))} data-testid="menu-password">{t('account.changePassword')}</button>
          {canManageUsers(user.role) && (
            <>
              <button type="button" role="menuitem" onClick={() => choose(() => openAdmin('users'))} data-testid="menu-users">{t('admin.users')}</button>
              <button type="button" role="menuitem" onClick={() => choose(() => openAdmin('audit'))} data-testid="menu-audit">{t('admin.audit')}</button>
            </>
          )}
          {canEditSettings(user.role) && (
            <button type="button" role="menuitem" onClick={() => choose(() => openAdmin('settings'))} data-testid="menu-settings">{t('settings.title')}</button>
          )}
          <button type="button" role="menuitem" onClick={() => choose(() => logout.mutate())} data-testid="menu-logout">{t('account.signOut')}</button>
        </div>
      )}
    </div>
  );
}

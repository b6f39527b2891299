/** Users (admin): who may sign in, with which role and villages; create, change, reset, disable. */
import { useState } from 'react';
import { useUsers, type UserRecord } from '../api/auth';
import { useSessionStore } from '../state/session';
import { useT } from '../i18n/i18n';
import { shanghaiDateTime } from '../lib/format';
import { UserCreateForm, UserEditForm } from './UserForms';

export function UsersAdmin() {
  const { t } = useT();
  const users = useUsers();
  const me = useSessionStore((s) => s.user?.username);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);

  if (users.isPending) return <p className="hint"><span className="spinner small" /> {t('admin.loading')}</p>;
  if (users.isError) {
    return (
      <p className="field-error" role="alert">
        {t('admin.loadFailed', { message: (users.error as Error).message })}{' '}
        <button type="button" onClick={() => void users.refetch()}>{t('status.retry')}</button>
      </p>
    );
  }
  const list = [...users.data].sort((a, b) => a.username.localeCompare(b.username));
  const editingUser = list.find((u) => u.username === editing);
  return (
    <div className="users-admin" data-testid="users-admin">
      <div className="admin-toolbar">
        <p className="hint">{t('admin.userCount', { count: list.length })}</p>
        {!creating && (
          <button type="button" className="primary" onClick={() => { setCreating(true); setEditing(null); }} data-testid="new-user">{t('admin.newUser')}</button>
        )}
      </div>
      {creating && <UserCreateForm taken={list.map((u) => u.username)} onDone={() => setCreating(false)} />}
      {editingUser && <UserEditForm key={editingUser.username} user={editingUser} self={editingUser.username === me} onDone={() => setEditing(null)} />}
      <ul className="user-list" data-testid="user-list">
        {list.map((u) => (
          <UserRow key={u.username} user={u} self={u.username === me} active={u.username === editing} onEdit={() => { setEditing(u.username); setCreating(false); }} />
        ))}
      </ul>
    </div>
  );
}

function UserRow({ user, self, active, onEdit }: { user: UserRecord; self: boolean; active: boolean; onEdit(): void }) {
  const { t } = useT();
  return (
    <li className={`user-row${user.disabled ? ' disabled' : ''}${active ? ' active' : ''}`} data-username={user.username}>
      <div className="user-main">
        <strong className="user-name">{user.username}</strong>
        {self && <span className="hint">{t('admin.you')}</span>}
        <span className="role-badge light">{t(`role.${user.role}` as 'role.admin')}</span>
        {user.disabled && <span className="status-tag off" data-testid="user-disabled">{t('admin.disabled')}</span>}
      </div>
      <div className="user-meta hint">
        {[user.villages.join('、'), user.created_at ? t('admin.createdAt', { at: shanghaiDateTime(user.created_at) }) : ''].filter(Boolean).join(' · ')}
      </div>
      <button type="button" onClick={onEdit} aria-label={t('admin.editUser', { name: user.username })} data-testid={`edit-user-${user.username}`}>{t('admin.edit')}</button>
    </li>
  );
}

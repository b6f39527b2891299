/** Creating a user, and changing one (role, villages, a new password, disabling). */
import { useState } from 'react';
import { useCreateUser, usePatchUser, type UserRecord } from '../api/auth';
import { ApiError } from '../api/http';
import { useUiStore } from '../state/stores';
import { ROLES, type Role } from '../lib/permissions';
import { MIN_PASSWORD_LENGTH, passwordProblem, validateNewUser, type Problems } from '../lib/accounts';
import { useT } from '../i18n/i18n';
import { VillagePicker } from './VillagePicker';

function RoleSelect({ id, value, onChange }: { id: string; value: string; onChange(r: Role): void }) {
  const { t } = useT();
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value as Role)} data-testid={id}>
      {!value && <option value="">{t('feature.choose')}</option>}
      {ROLES.map((r) => (
        <option key={r} value={r}>{t(`role.${r}` as 'role.admin')}（{t(`role.${r}.desc` as 'role.admin.desc')}）</option>
      ))}
    </select>
  );
}

function Problem({ id, problem }: { id: string; problem?: string }) {
  const { t } = useT();
  if (!problem) return null;
  return <p id={id} className="field-error" role="alert">{t(problem as 'account.problem.required', { min: MIN_PASSWORD_LENGTH })}</p>;
}

function serverMessage(e: unknown): string {
  return e instanceof ApiError ? e.message : (e as Error).message;
}

export function UserCreateForm({ taken, onDone }: { taken: string[]; onDone(): void }) {
  const { t } = useT();
  const create = useCreateUser();
  const toast = useUiStore((s) => s.showToast);
  const [v, setV] = useState({ username: '', password: '', role: 'viewer' as string, villages: [] as string[] });
  const [problems, setProblems] = useState<Problems>({});
  const [error, setError] = useState<string | null>(null);
  // A field's problem goes as soon as the field is changed.
  const update = (patch: Partial<typeof v>) => {
    setV({ ...v, ...patch });
    setProblems(Object.fromEntries(Object.entries(problems).filter(([k]) => !(k in patch))));
  };
  const submit = () => {
    const p = validateNewUser(v, taken);
    setProblems(p);
    setError(null);
    if (Object.keys(p).length) return;
    create.mutate(
      { username: v.username, password: v.password, role: v.role as Role, villages: v.role === 'village_officer' ? v.villages : [] },
      {
        onSuccess: () => {
          toast({ key: 'admin.userCreated', vars: { name: v.username } });
          onDone();
        },
        onError: (e) => setError(serverMessage(e)),
      },
    );
  };
  return (
    <form className="user-form" noValidate onSubmit={(e) => { e.preventDefault(); submit(); }} data-testid="user-create-form">
      <h3>{t('admin.newUser')}</h3>
      <div className="user-form-grid">
        <div className={`field${problems.username ? ' has-error' : ''}`}>
          <label htmlFor="new-user-username">{t('login.username')}</label>
          <input id="new-user-username" autoComplete="off" value={v.username} onChange={(e) => update({ username: e.target.value.trim() })} aria-describedby="new-user-username-error" data-testid="new-user-username" />
          <Problem id="new-user-username-error" problem={problems.username} />
        </div>
        <div className={`field${problems.password ? ' has-error' : ''}`}>
          <label htmlFor="new-user-password">{t('admin.initialPassword')}</label>
          <input id="new-user-password" type="password" autoComplete="new-password" value={v.password} onChange={(e) => update({ password: e.target.value })} aria-describedby="new-user-password-error" data-testid="new-user-password" />
          <Problem id="new-user-password-error" problem={problems.password} />
        </div>
        <div className={`field${problems.role ? ' has-error' : ''}`}>
          <label htmlFor="new-user-role">{t('admin.role')}</label>
          <RoleSelect id="new-user-role" value={v.role} onChange={(role) => update({ role })} />
          <Problem id="new-user-role-error" problem={problems.role} />
        </div>
      </div>
      {/* Villages belong to village officers only (the server refuses them for other roles). */}
      {v.role === 'village_officer' && (
        <div className={`field${problems.villages ? ' has-error' : ''}`}>
          <span className="field-label">{t('admin.villagesHint')}</span>
          <VillagePicker id="new-user-villages" value={v.villages} onChange={(villages) => update({ villages })} />
          <Problem id="new-user-villages-error" problem={problems.villages} />
        </div>
      )}
      {error && <p className="field-error" role="alert" data-testid="user-form-error">{error}</p>}
      <div className="actions">
        <button type="button" onClick={onDone}>{t('feature.cancel')}</button>
        <button type="submit" className="primary" disabled={create.isPending} data-testid="create-user-submit">{create.isPending ? t('feature.saving') : t('admin.create')}</button>
      </div>
    </form>
  );
}

export function UserEditForm({ user, self, onDone }: { user: UserRecord; self: boolean; onDone(): void }) {
  const { t } = useT();
  const patch = usePatchUser();
  const toast = useUiStore((s) => s.showToast);
  const [role, setRole] = useState<Role>(user.role);
  const [villages, setVillages] = useState<string[]>(user.villages);
  const [password, setPassword] = useState('');
  const [problems, setProblems] = useState<Problems>({});
  const [error, setError] = useState<string | null>(null);
  const send = (body: Parameters<typeof patch.mutate>[0]['patch'], done: () => void) => {
    setError(null);
    patch.mutate({ username: user.username, patch: body }, { onSuccess: done, onError: (e) => setError(serverMessage(e)) });
  };
  const save = () => {
    const p: Problems = {};
    if (role === 'village_officer' && villages.length === 0) p.villages = 'account.problem.villages';
    setProblems(p);
    if (Object.keys(p).length) return;
    send({ role, villages: role === 'village_officer' ? villages : [] }, () => {
      toast({ key: 'admin.userSaved', vars: { name: user.username } });
      onDone();
    });
  };
  const resetPassword = () => {
    const problem = passwordProblem(password);
    setProblems(problem ? { password: problem } : {});
    if (problem) return;
    send({ password }, () => {
      setPassword('');
      toast({ key: 'admin.passwordReset', vars: { name: user.username } });
    });
  };
  const toggleDisabled = () =>
    send({ disabled: !user.disabled }, () => toast({ key: user.disabled ? 'admin.userEnabled' : 'admin.userDisabled', vars: { name: user.username } }));

  return (
    <form className="user-form" noValidate onSubmit={(e) => { e.preventDefault(); save(); }} data-testid="user-edit-form" data-username={user.username}>
      <h3>{t('admin.editUser', { name: user.username })}</h3>
      <div className="user-form-grid">
        <div className="field">
          <label htmlFor="edit-user-role">{t('admin.role')}</label>
          {/* Admins cannot demote themselves: there would be nobody left to undo it. */}
          {self ? <p className="hint">{t(`role.${role}` as 'role.admin')} · {t('admin.selfRole')}</p> : <RoleSelect id="edit-user-role" value={role} onChange={setRole} />}
        </div>
        <div className={`field${problems.password ? ' has-error' : ''}`}>
          <label htmlFor="edit-user-password">{t('admin.newPassword')}</label>
          <div className="inline-field">
            <input id="edit-user-password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} aria-describedby="edit-user-password-error" data-testid="edit-user-password" />
            <button type="button" onClick={resetPassword} disabled={patch.isPending} data-testid="reset-password">{t('admin.resetPassword')}</button>
          </div>
          <Problem id="edit-user-password-error" problem={problems.password} />
        </div>
      </div>
      {role === 'village_officer' && (
        <div className={`field${problems.villages ? ' has-error' : ''}`}>
          <span className="field-label">{t('admin.villagesHint')}</span>
          <VillagePicker id="edit-user-villages" value={villages} onChange={setVillages} />
          <Problem id="edit-user-villages-error" problem={problems.villages} />
        </div>
      )}
      {error && <p className="field-error" role="alert" data-testid="user-form-error">{error}</p>}
      <div className="actions">
        {!self && (
          <button type="button" className={user.disabled ? '' : 'danger-outline'} onClick={toggleDisabled} disabled={patch.isPending} data-testid="toggle-disabled">
            {user.disabled ? t('admin.enable') : t('admin.disable')}
          </button>
        )}
        <span className="spacer" />
        <button type="button" onClick={onDone}>{t('feature.close')}</button>
        <button type="submit" className="primary" disabled={patch.isPending} data-testid="save-user">{patch.isPending ? t('feature.saving') : t('feature.save')}</button>
      </div>
    </form>
  );
}

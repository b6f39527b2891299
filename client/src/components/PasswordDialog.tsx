/** Changing one's own password: current, new, repeated; what is wrong is said under each field. */
import { useEffect, useRef, useState } from 'react';
import { useChangePassword } from '../api/auth';
import { ApiError } from '../api/http';
import { useSessionStore } from '../state/session';
import { useUiStore } from '../state/stores';
import { validatePasswordChange, MIN_PASSWORD_LENGTH, type Problems } from '../lib/accounts';
import { useT } from '../i18n/i18n';

const FIELDS = [
  { key: 'current', label: 'account.currentPassword', auto: 'current-password' },
  { key: 'next', label: 'account.newPassword', auto: 'new-password' },
  { key: 'confirm', label: 'account.confirmPassword', auto: 'new-password' },
] as const;

export function PasswordDialog() {
  const { t } = useT();
  const close = useSessionStore((s) => s.openPassword);
  const toast = useUiStore((s) => s.showToast);
  const change = useChangePassword();
  const ref = useRef<HTMLDialogElement>(null);
  const [values, setValues] = useState({ current: '', next: '', confirm: '' });
  const [problems, setProblems] = useState<Problems>({});
  const [serverError, setServerError] = useState<string | null>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);

  const submit = () => {
    const p = validatePasswordChange(values);
    setProblems(p);
    setServerError(null);
    if (Object.keys(p).length) return;
    change.mutate(
      { current_password: values.current, new_password: values.next },
      {
        onSuccess: () => {
          close(false);
          toast({ key: 'account.passwordChanged' });
        },
        onError: (e) => {
          // The server names the field it refuses: the current password is said in our words.
          const field = e instanceof ApiError ? e.details[0]?.property : undefined;
          if (field === 'current_password') setProblems({ current: 'account.currentWrong' });
          else setServerError(e.message);
        },
      },
    );
  };

  return (
    <dialog ref={ref} className="confirm form-dialog" onCancel={(e) => { e.preventDefault(); close(false); }} aria-labelledby="password-title" data-testid="password-dialog">
      <h3 id="password-title">{t('account.changePassword')}</h3>
      <form noValidate onSubmit={(e) => { e.preventDefault(); submit(); }}>
        {FIELDS.map((f) => (
          <div key={f.key} className={`field${problems[f.key] ? ' has-error' : ''}`}>
            <label htmlFor={`password-${f.key}`}>{t(f.label)}</label>
            <input
              id={`password-${f.key}`}
              type="password"
              autoComplete={f.auto}
              value={values[f.key]}
              onChange={(e) => {
                setValues({ ...values, [f.key]: e.target.value });
                if (problems[f.key]) setProblems(Object.fromEntries(Object.entries(problems).filter(([k]) => k !== f.key)));
              }}
              aria-invalid={Boolean(problems[f.key])}
              aria-describedby={problems[f.key] ? `password-${f.key}-error` : undefined}
              data-testid={`password-${f.key}`}
            />
            {problems[f.key] && <p id={`password-${f.key}-error`} className="field-error" role="alert">{t(problems[f.key], { min: MIN_PASSWORD_LENGTH })}</p>}
          </div>
        ))}
        <p className="hint">{t('account.passwordRule', { min: MIN_PASSWORD_LENGTH })}</p>
        {serverError && <p className="field-error" role="alert" data-testid="password-server-error">{serverError}</p>}
        <div className="actions">
          <button type="button" onClick={() => close(false)}>{t('feature.cancel')}</button>
          <button type="submit" className="primary" disabled={change.isPending} data-testid="password-submit">{change.isPending ? t('feature.saving') : t('feature.save')}</button>
        </div>
      </form>
    </dialog>
  );
}

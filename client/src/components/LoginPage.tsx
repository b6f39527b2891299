/**
 * The login page: the app's name, user name and password, and why a sign-in failed next to the
 * form (wrong credentials, or too many tries with the wait from Retry-After, counted down).
 */
import { useEffect, useState } from 'react';
import { useLogin } from '../api/auth';
import { ApiError } from '../api/http';
import { useSessionStore } from '../state/session';
import { useT } from '../i18n/i18n';
import { waitParts } from '../lib/accounts';
import { LanguageSwitch } from './LanguageSwitch';

export function LoginPage() {
  const { t } = useT();
  const login = useLogin();
  const expired = useSessionStore((s) => s.expired);
  const status = useSessionStore((s) => s.status);
  const requestLogin = useSessionStore((s) => s.requestLogin);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<'username' | 'password' | null>(null);
  const [lockedUntil, setLockedUntil] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    document.title = t('app.title');
  }, [t]);
  // Count the wait down once a second; the button comes back when it is over.
  useEffect(() => {
    if (!lockedUntil) return;
    const timer = setInterval(() => {
      const n = Date.now();
      setNow(n);
      if (n >= lockedUntil) setLockedUntil(null);
    }, 1000);
    return () => clearInterval(timer);
  }, [lockedUntil]);

  const submit = () => {
    if (!username.trim()) return setMissing('username');
    if (!password) return setMissing('password');
    setMissing(null);
    login.mutate(
      { username: username.trim(), password },
      {
        onError: (e) => {
          if (e instanceof ApiError && e.status === 429) {
            const n = Date.now();
            setNow(n);
            setLockedUntil(n + (e.retryAfterS ?? 60) * 1000);
          }
        },
      },
    );
  };

  const error = login.error;
  let message: string | null = null;
  if (missing) message = t(missing === 'username' ? 'login.needUsername' : 'login.needPassword');
  else if (lockedUntil) {
    const w = waitParts((lockedUntil - now) / 1000);
    message = t('login.tooMany', { wait: w.minutes ? t('login.waitMinutes', { minutes: w.minutes, seconds: w.seconds }) : t('login.waitSeconds', { seconds: w.seconds }) });
  } else if (error instanceof ApiError && error.status === 401) message = t('login.wrong');
  else if (error instanceof ApiError && error.code === 'account_disabled') message = t('login.disabled');
  else if (error instanceof ApiError && error.status === 429) message = null; // the wait is over: try again
  else if (error) message = t('login.failed', { message: error.message });

  return (
    <div className="login-page" data-testid="login-page">
      <div className="login-lang"><LanguageSwitch /></div>
      <main className="login-card">
        <h1 className="login-title">
          <span className="brand-mark" aria-hidden="true" />
          {t('app.title')}
        </h1>
        <p className="login-subtitle">{t('app.subtitle')}</p>
        {expired && !login.isPending && !error && <p className="notice login-note" role="status" data-testid="session-expired">{t('login.expired')}</p>}
        <form
          className="login-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
          aria-describedby={message ? 'login-error' : undefined}
        >
          <div className={`field${missing === 'username' ? ' has-error' : ''}`}>
            <label htmlFor="login-username">{t('login.username')}</label>
            <input id="login-username" name="username" autoComplete="username" autoFocus value={username} onChange={(e) => {
              setUsername(e.target.value);
              // Tries are counted per user name: another name may sign in at once.
              if (lockedUntil) {
                setLockedUntil(null);
                login.reset();
              }
            }} data-testid="login-username" />
          </div>
          <div className={`field${missing === 'password' ? ' has-error' : ''}`}>
            <label htmlFor="login-password">{t('login.password')}</label>
            <input id="login-password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="login-password" />
          </div>
          {message && <p id="login-error" className="field-error login-error" role="alert" data-testid="login-error">{message}</p>}
          <button type="submit" className="primary login-submit" disabled={login.isPending || Boolean(lockedUntil)} data-testid="login-submit">
            {login.isPending ? t('login.signingIn') : t('login.signIn')}
          </button>
          {status === 'public' && (
            <button type="button" className="link" onClick={() => requestLogin(false)} data-testid="login-back">{t('login.backToMap')}</button>
          )}
        </form>
      </main>
    </div>
  );
}

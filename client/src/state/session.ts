/**
 * Who is signed in, the CSRF token their writes carry, and the account screens that are open.
 * The session cookie itself is httpOnly: the page never sees it; /api/auth/me tells who it is.
 */
import { create } from 'zustand';
import type { Role } from '../lib/permissions';

export interface SessionUser {
  username: string;
  role: Role;
  villages: string[];
}

/**
 * checking: /api/auth/me not answered yet. signedIn: a user. public: nobody signed in but the
 * server lets anonymous visitors read (PUBLIC_READ). signedOut: the login page.
 */
export type SessionStatus = 'checking' | 'signedIn' | 'public' | 'signedOut';

/** The account screens: the admin sheet (users, audit log, rules) and the password dialog. */
export type AdminTab = 'users' | 'audit' | 'settings';

interface SessionState {
  status: SessionStatus;
  user: SessionUser | null;
  csrfToken: string | null;
  /** The session ended while the user worked (a 401): the login page says so. */
  expired: boolean;
  /** Under public read: the visitor asked for the login page. */
  loginRequested: boolean;
  adminTab: AdminTab | null;
  passwordOpen: boolean;
  signIn(user: SessionUser, csrfToken: string): void;
  /** Anonymous: `publicRead` when the server lets anonymous visitors read the map. */
  setAnonymous(publicRead: boolean): void;
  /** A request answered 401 although someone was signed in. */
  expire(): void;
  requestLogin(on: boolean): void;
  openAdmin(tab: AdminTab | null): void;
  openPassword(open: boolean): void;
}

export const useSessionStore = create<SessionState>((set) => ({
  status: 'checking',
  user: null,
  csrfToken: null,
  expired: false,
  loginRequested: false,
  adminTab: null,
  passwordOpen: false,
  signIn: (user, csrfToken) => set({ status: 'signedIn', user, csrfToken, expired: false, loginRequested: false }),
  setAnonymous: (publicRead) => set({ status: publicRead ? 'public' : 'signedOut', user: null, csrfToken: null, adminTab: null, passwordOpen: false }),
  expire: () =>
    set((s) => (s.status === 'signedIn' ? { status: 'signedOut', user: null, csrfToken: null, expired: true, adminTab: null, passwordOpen: false } : s)),
  requestLogin: (loginRequested) => set({ loginRequested }),
  openAdmin: (adminTab) => set({ adminTab }),
  openPassword: (passwordOpen) => set({ passwordOpen }),
}));

/**
 * Accounts through the query cache: the session (sign in, sign out, password), users (admin) and
 * the audit log. The session itself lives in state/session.ts; these calls fill it.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, ApiError } from './http';
import { anonymousCanRead } from './queries';
import { useSessionStore, type SessionUser } from '../state/session';
import { auditQuery, readAuditPage, type AuditFilters } from '../lib/audit';
import type { Role } from '../lib/permissions';

interface SessionAnswer {
  user: SessionUser;
  csrf_token: string;
}

/** Who is signed in: /api/auth/me, and when nobody is, whether the map is open to anonymous readers. */
export async function checkSession(qc: QueryClient): Promise<void> {
  try {
    const me = await api<SessionAnswer>('/api/auth/me');
    useSessionStore.getState().signIn(normalUser(me.user), me.csrf_token);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e;
    useSessionStore.getState().setAnonymous(await anonymousCanRead(qc));
  }
}

function normalUser(u: SessionUser): SessionUser {
  return { username: u.username, role: u.role, villages: Array.isArray(u.villages) ? u.villages : [] };
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { username: string; password: string }) => api<SessionAnswer>('/api/auth/login', { method: 'POST', json: body }),
    onSuccess: (answer) => {
      // Another user may have been signed in: nothing cached for them is kept.
      qc.clear();
      useSessionStore.getState().signIn(normalUser(answer.user), answer.csrf_token);
    },
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('/api/auth/logout', { method: 'POST' }),
    onSettled: async () => {
      qc.clear();
      const open = await anonymousCanRead(qc).catch(() => false);
      useSessionStore.getState().setAnonymous(open);
    },
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: { current_password: string; new_password: string }) => api<void>('/api/auth/password', { method: 'POST', json: body }),
  });
}

export interface UserRecord {
  username: string;
  role: Role;
  villages: string[];
  disabled: boolean;
  created_at: string;
}

export function useUsers(enabled = true) {
  return useQuery({
    queryKey: ['users'],
    queryFn: async () => {
      const body = await api<UserRecord[] | { users: UserRecord[] }>('/api/users');
      return Array.isArray(body) ? body : body.users;
    },
    enabled,
  });
}

export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { username: string; password: string; role: Role; villages: string[] }) => api<UserRecord>('/api/users', { method: 'POST', json: body }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['users'] });
      void qc.invalidateQueries({ queryKey: ['audit'] });
    },
  });
}

export function usePatchUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ username, patch }: { username: string; patch: Partial<{ role: Role; villages: string[]; password: string; disabled: boolean }> }) =>
      api<UserRecord>(`/api/users/${encodeURIComponent(username)}`, { method: 'PATCH', json: patch }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['users'] });
      void qc.invalidateQueries({ queryKey: ['audit'] });
    },
  });
}

/** One feature's history, newest first (any signed-in user may read it). */
export function useFeatureHistory(collection: string, id: number, enabled: boolean) {
  return useQuery({
    queryKey: ['audit', 'feature', collection, id],
    queryFn: async () => readAuditPage(await api<unknown>(`/api/audit?collection=${encodeURIComponent(collection)}&feature_id=${id}&limit=100`)).entries,
    enabled,
  });
}

export function useAuditLog(filters: AuditFilters, limit: number, offset: number) {
  return useQuery({
    queryKey: ['audit', 'log', filters, limit, offset],
    queryFn: async () => readAuditPage(await api<unknown>(`/api/audit?${auditQuery(filters, limit, offset)}`)),
    placeholderData: keepPreviousData,
  });
}

/**
 * What a role may do, for showing and hiding controls. The rule is the server's own
 * (server/auth/policy.ts, pure data shared with the client): nobody is offered a button that can
 * only fail with 403. These wrappers add the anonymous visitor (no role), who may change nothing.
 */
import * as policy from '../../../server/auth/policy';
import { NOTICE_TRANSITIONS, type NoticeStatus } from '../../../server/notices/lifecycle';

export const ROLES = policy.ROLES;
export type Role = policy.Role;
export const isRole = policy.isRole;

/** May this role create, edit and delete features of the collection? */
export function canWrite(role: Role | null | undefined, collection: string): boolean {
  return isRole(role) && policy.canWrite(role, collection);
}

/** The planners' rules (setback distances, grades, rewards): admins and planners. */
export function canEditSettings(role: Role | null | undefined, key = 'setback_m_by_class'): boolean {
  return isRole(role) && policy.canChangeSetting(role, key);
}

export function canManageUsers(role: Role | null | undefined): boolean {
  return isRole(role) && policy.canManageUsers(role);
}

/** The collections among `collections` the role may write, in their order (the 新建 layer list). */
export function writableCollections(role: Role | null | undefined, collections: readonly string[]): string[] {
  return isRole(role) ? policy.writableCollections(role, collections) : [];
}

/** May this role issue rectification notices (inspectors, planners, admins)? */
export function canIssueNotices(role: Role | null | undefined): boolean {
  return isRole(role) && policy.canIssueNotices(role);
}

/** The states this user may move a notice of this village to from its current state (the buttons to show). */
export function noticeMoves(user: { role: Role; villages: readonly string[] } | null | undefined, village: string, status: NoticeStatus): NoticeStatus[] {
  if (!user || !isRole(user.role)) return [];
  return NOTICE_TRANSITIONS[status].filter((to) => policy.noticeTransitionRefusal(user, village, to) === null);
}

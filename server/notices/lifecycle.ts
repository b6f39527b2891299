/**
 * The life of a rectification notice (整改通知), as pure data and functions (no Node imports):
 * the server enforces it, the client imports it to offer only the buttons that can work.
 *
 *   issued → in_progress → reported_fixed → verified (closed)
 *                               ↓
 *                           reopened → in_progress | reported_fixed
 *
 * Who may move a notice is in server/auth/policy.ts (noticeTransitionRefusal).
 */
import { shanghaiToday } from '../collections/properties.js';

export const NOTICE_STATUSES = ['issued', 'in_progress', 'reported_fixed', 'verified', 'reopened'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

/** The states each state may move to. A reopened notice goes back to work: the village starts again or reports the fix again. */
export const NOTICE_TRANSITIONS: Record<NoticeStatus, readonly NoticeStatus[]> = {
  issued: ['in_progress'],
  in_progress: ['reported_fixed'],
  reported_fixed: ['verified', 'reopened'],
  verified: [],
  reopened: ['in_progress', 'reported_fixed'],
};

/** States in which the village still has to act: only these can be overdue. */
export const NOTICE_WORK_STATES: readonly NoticeStatus[] = ['issued', 'in_progress', 'reopened'];

/** A notice holds its findings until it is verified. */
export const NOTICE_OPEN_STATES: readonly NoticeStatus[] = ['issued', 'in_progress', 'reported_fixed', 'reopened'];

/** The status a notice's findings take when the notice enters this state (findings.status). */
export const FINDING_STATUS_FOR: Record<NoticeStatus, 'notice_issued' | 'reported_fixed' | 'verified'> = {
  issued: 'notice_issued',
  in_progress: 'notice_issued',
  reported_fixed: 'reported_fixed',
  verified: 'verified',
  reopened: 'notice_issued',
};

export function isNoticeStatus(v: unknown): v is NoticeStatus {
  return typeof v === 'string' && (NOTICE_STATUSES as readonly string[]).includes(v);
}

/** Why this move is not allowed from this state, or null when it is. */
export function transitionRefusal(from: NoticeStatus, to: NoticeStatus): string | null {
  if (NOTICE_TRANSITIONS[from].includes(to)) return null;
  const next = NOTICE_TRANSITIONS[from];
  return `a notice that is ${from} cannot become ${to}; ${next.length ? `it may become ${next.join(' or ')}` : 'it is closed'}`;
}

/** The day `days` after a YYYY-MM-DD day (calendar arithmetic, month and year ends included). */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Overdue from the day after the deadline (in Asia/Shanghai), while the village still has to act. */
export function isOverdue(status: NoticeStatus, deadline: string, at: Date): boolean {
  return NOTICE_WORK_STATES.includes(status) && shanghaiToday(at) > deadline;
}

/** 整改〔2026〕第015号 */
export function noticeNumber(year: number, n: number): string {
  return `整改〔${year}〕第${String(n).padStart(3, '0')}号`;
}

/** The notice lifecycle, its days in Asia/Shanghai and who may move a notice (pure functions). */
import { describe, it, expect } from 'vitest';
import { addDays, isOverdue, noticeNumber, NOTICE_STATUSES, NOTICE_TRANSITIONS, transitionRefusal } from '../../server/notices/lifecycle.js';
import { shanghaiToday } from '../../server/collections/properties.js';
import { canActOnNotices, canIssueNotices, noticeTransitionRefusal, ROLES } from '../../server/auth/policy.js';

describe('notice lifecycle', () => {
  it('allows exactly issued → in_progress → reported_fixed → verified | reopened, and reopened back to work', () => {
    const allowed = NOTICE_STATUSES.flatMap((from) => NOTICE_STATUSES.filter((to) => transitionRefusal(from, to) === null).map((to) => `${from}→${to}`));
    expect(allowed.sort()).toEqual(['in_progress→reported_fixed', 'issued→in_progress', 'reopened→in_progress', 'reopened→reported_fixed', 'reported_fixed→reopened', 'reported_fixed→verified'].sort());
    expect(NOTICE_TRANSITIONS.verified).toEqual([]);
  });

  it('says why a move is refused and what may follow', () => {
    expect(transitionRefusal('issued', 'verified')).toBe('a notice that is issued cannot become verified; it may become in_progress');
    expect(transitionRefusal('verified', 'reopened')).toBe('a notice that is verified cannot become reopened; it is closed');
    expect(transitionRefusal('reported_fixed', 'in_progress')).toMatch(/it may become verified or reopened/);
  });

  it('takes the Shanghai day of an instant (UTC+8, also past a month and year end)', () => {
    expect(shanghaiToday(new Date('2026-01-31T15:59:59.999Z'))).toBe('2026-01-31');
    expect(shanghaiToday(new Date('2026-01-31T16:00:00Z'))).toBe('2026-02-01');
    expect(shanghaiToday(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01');
    expect(shanghaiToday(new Date('2026-06-30T23:00:00-05:00'))).toBe('2026-07-01');
  });

  it('adds days across month ends, leap days and year ends', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2026-02-26', 3)).toBe('2026-03-01');
    expect(addDays('2028-02-27', 2)).toBe('2028-02-29');
    expect(addDays('2026-04-30', 30)).toBe('2026-05-30');
    expect(addDays('2026-12-31', 3)).toBe('2027-01-03');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('is overdue from the day after the deadline in Shanghai, only while the village still has to act', () => {
    expect(isOverdue('issued', '2026-01-31', new Date('2026-01-31T15:59:59Z'))).toBe(false);
    expect(isOverdue('issued', '2026-01-31', new Date('2026-01-31T16:00:00Z'))).toBe(true);
    expect(isOverdue('in_progress', '2026-02-28', new Date('2026-02-28T16:00:00Z'))).toBe(true);
    expect(isOverdue('reopened', '2026-02-28', new Date('2026-03-01T01:00:00Z'))).toBe(true);
    expect(isOverdue('reported_fixed', '2026-01-31', new Date('2026-03-01T00:00:00Z'))).toBe(false);
    expect(isOverdue('verified', '2026-01-31', new Date('2026-03-01T00:00:00Z'))).toBe(false);
  });

  it('numbers notices 整改〔year〕第NNN号', () => {
    expect(noticeNumber(2026, 15)).toBe('整改〔2026〕第015号');
    expect(noticeNumber(2027, 1234)).toBe('整改〔2027〕第1234号');
  });
});

describe('who may move a notice', () => {
  const officer = { role: 'village_officer' as const, villages: ['包集村'] };
  it('lets inspectors and planners issue, verify and reopen; village officers report on their own villages only', () => {
    expect(ROLES.filter(canIssueNotices)).toEqual(['admin', 'planner', 'inspector']);
    expect(ROLES.filter(canActOnNotices)).toEqual(['admin', 'planner', 'inspector', 'village_officer']);
    expect(noticeTransitionRefusal(officer, '包集村', 'in_progress')).toBeNull();
    expect(noticeTransitionRefusal(officer, '包集村', 'reported_fixed')).toBeNull();
    expect(noticeTransitionRefusal(officer, '石山村', 'in_progress')).toMatch(/own villages \(包集村\), not of 石山村/);
    expect(noticeTransitionRefusal(officer, '包集村', 'verified')).toMatch(/village_officer may not move a notice to verified/);
    for (const role of ['planner', 'inspector'] as const) {
      expect(noticeTransitionRefusal({ role, villages: [] }, '包集村', 'verified')).toBeNull();
      expect(noticeTransitionRefusal({ role, villages: [] }, '包集村', 'reopened')).toBeNull();
      expect(noticeTransitionRefusal({ role, villages: [] }, '包集村', 'reported_fixed')).toMatch(new RegExp(`${role} may not`));
    }
    for (const to of ['in_progress', 'reported_fixed', 'verified', 'reopened']) expect(noticeTransitionRefusal({ role: 'admin', villages: [] }, '包集村', to)).toBeNull();
    expect(noticeTransitionRefusal({ role: 'viewer', villages: [] }, '包集村', 'in_progress')).toMatch(/viewer may not/);
  });
});

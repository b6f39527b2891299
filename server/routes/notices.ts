/**
 * Rectification notices (整改通知): list (village / status / overdue filters, with open and overdue
 * counts per village), create from open findings, read one, move it along its life, print it.
 * Who may do what: server/auth/policy.ts (the guard checks the route's rule; the notice's village
 * and the target state are checked here through noticeTransitionRefusal).
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db } from '../db/index.js';
import { invalidParameter } from '../errors.js';
import { createNotice, getNotice, listNotices, noticeCandidates, transitionNotice, type NoticeUser } from '../notices/notices.js';
import { isNoticeStatus, NOTICE_STATUSES, type NoticeStatus } from '../notices/lifecycle.js';
import { noticePdf } from '../print/notice-pdf.js';
import { contentDisposition } from './download.js';

/** Ids as JSON numbers: whole and exact (a larger number would not reach the database intact). */
const IdNumber = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

const Id = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,15}$', description: 'notice id' }) });

const ListQuery = Type.Object({
  village: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  status: Type.Optional(Type.String({ maxLength: 200, description: `comma-separated: ${NOTICE_STATUSES.join(', ')}; also "open" (all but verified)` })),
  overdue: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$', description: '1 to 1000, default 100' })),
  offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$' })),
}, { additionalProperties: false });

const NewNoticeBody = Type.Object({
  village: Type.String({ minLength: 1, maxLength: 100 }),
  finding_ids: Type.Array(IdNumber, { minItems: 1, maxItems: 500 }),
  deadline: Type.Optional(Type.String({ maxLength: 10, description: 'YYYY-MM-DD, a day in Asia/Shanghai; today or later' })),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
}, { additionalProperties: false });

const TransitionBody = Type.Object({
  to: Type.Union(NOTICE_STATUSES.map((s) => Type.Literal(s))),
  photo_id: Type.Optional(IdNumber),
  photo_ids: Type.Optional(Type.Array(IdNumber, { maxItems: 100 })),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
}, { additionalProperties: false });

function statuses(raw: string | undefined): NoticeStatus[] | undefined {
  if (raw === undefined) return undefined;
  const out = new Set<NoticeStatus>();
  for (const s of raw.split(',').map((x) => x.trim())) {
    if (s === 'open') for (const o of NOTICE_STATUSES) { if (o !== 'verified') out.add(o); }
    else if (isNoticeStatus(s)) out.add(s);
    else throw invalidParameter('status', `${JSON.stringify(s.slice(0, 40))} is not a notice status; use ${NOTICE_STATUSES.join(', ')} or open`);
  }
  return [...out];
}

export async function noticeRoutes(fastify: FastifyInstance, opts: { db: Db; mediaDir: string }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = opts;
  const userOf = (req: { user: NoticeUser | null }): NoticeUser => req.user!;

  app.get('/api/notices', { schema: { tags: ['notices'], querystring: ListQuery } }, async (req) => {
    const limit = req.query.limit === undefined ? 100 : Number(req.query.limit);
    if (limit < 1 || limit > 1000) throw invalidParameter('limit', 'must be a whole number from 1 to 1000');
    return listNotices(db, {
      village: req.query.village,
      statuses: statuses(req.query.status),
      overdue: req.query.overdue === undefined ? undefined : req.query.overdue === 'true',
      limit,
      offset: req.query.offset === undefined ? 0 : Number(req.query.offset),
    });
  });

  app.post('/api/notices', { schema: { tags: ['notices'], body: NewNoticeBody } }, async (req, reply) => {
    const user = userOf(req);
    const id = await db.transaction((tx) => createNotice(tx, user, req.body));
    reply.code(201).header('Location', `/api/notices/${id}`);
    return getNotice(db, id);
  });

  app.get('/api/notices/candidates', { schema: { tags: ['notices'], querystring: Type.Object({ village: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }) } }, async (req) =>
    noticeCandidates(db, req.query.village));

  app.get('/api/notices/:id', { schema: { tags: ['notices'], params: Id } }, async (req) => getNotice(db, Number(req.params.id)));

  app.get('/api/notices/:id.pdf', { schema: { tags: ['notices'], params: Id } }, async (req, reply) => {
    const notice = await getNotice(db, Number(req.params.id));
    const pdf = await noticePdf(db, notice, opts.mediaDir);
    reply.type('application/pdf').header('Content-Disposition', contentDisposition(`${notice.number}.pdf`, { inline: true, ascii: `notice-${notice.id}.pdf` }));
    return pdf;
  });

  app.post('/api/notices/:id/transitions', { schema: { tags: ['notices'], params: Id, body: TransitionBody } }, async (req) => {
    const id = Number(req.params.id);
    await db.transaction((tx) => transitionNotice(tx, userOf(req), id, req.body));
    return getNotice(db, id);
  });
}

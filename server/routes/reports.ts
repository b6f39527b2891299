/**
 * The village ranking (红黑榜) `GET /api/analysis/ranking?month=YYYY-MM[&f=pdf|xlsx|csv]` and the
 * monthly work report (工作汇报) `GET /api/reports/monthly?month=YYYY-MM[&village=…][&f=docx|pdf]`.
 * Without f both answer JSON (the client's pages), with every figure behind them.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import type { Db } from '../db/index.js';
import { invalidParameter } from '../errors.js';
import { parseMonth, parseVillage } from '../analysis/params.js';
import { toCsv } from '../analysis/csv.js';
import { ranking } from '../reports/ranking.js';
import { monthlyReport } from '../reports/monthly.js';
import { rankingXlsx } from '../reports/ranking-xlsx.js';
import { rankingPdf } from '../reports/ranking-pdf.js';
import { reportDocx } from '../reports/report-docx.js';
import { reportPdf } from '../reports/report-pdf.js';
import { gateRoutes, type Gate } from '../analysis/gate.js';
import { contentDisposition } from './download.js';

const Str = (description: string) => Type.Optional(Type.String({ maxLength: 2000, description }));
const query = <T extends Record<string, TSchema>>(props: T) => Type.Object(props, { additionalProperties: false });

const MIME = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  csv: 'text/csv; charset=utf-8',
} as const;

/** A download named in Chinese, with an ASCII name of its own for old clients. */
function attach(reply: FastifyReply, format: keyof typeof MIME, ascii: string, name: string) {
  return reply.type(MIME[format]).header('Content-Disposition', contentDisposition(`${name}.${format}`, { ascii: `${ascii}.${format}` }));
}

function parseFormat<F extends string>(raw: string | undefined, formats: F[]): F | 'json' {
  if (raw === undefined || raw === '' || raw === 'json') return 'json';
  if ((formats as string[]).includes(raw)) return raw as F;
  throw invalidParameter('f', `must be ${['json', ...formats].join(', ')}, got ${JSON.stringify(raw.slice(0, 20))}`);
}

export async function reportRoutes(fastify: FastifyInstance, opts: { db: Db; gate?: Gate }): Promise<void> {
  if (opts.gate) gateRoutes(fastify, opts.gate);
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = opts;

  app.get('/api/analysis/ranking', {
    schema: {
      tags: ['analysis'],
      querystring: query({
        month: Str('YYYY-MM in Asia/Shanghai; default: this month'),
        f: Str('json (default), pdf, xlsx or csv'),
      }),
    },
  }, async (req, reply) => {
    const format = parseFormat(req.query.f, ['pdf', 'xlsx', 'csv']);
    const month = parseMonth('month', req.query.month);
    const result = await ranking(db, month);
    const name = `红黑榜-${month.month}`;
    if (format === 'xlsx') return attach(reply, 'xlsx', `ranking-${month.month}`, name).send(await rankingXlsx(result));
    if (format === 'pdf') return attach(reply, 'pdf', `ranking-${month.month}`, name).send(await rankingPdf(db, result));
    if (format === 'csv') {
      return attach(reply, 'csv', `ranking-${month.month}`, name).send(toCsv(result.villages.map(({ scores, ...v }) => ({
        ...v, corridor_score: scores.corridor, notices_score: scores.notices, repeats_score: scores.repeats, setback_score: scores.setback,
      }))));
    }
    return result;
  });

  app.get('/api/reports/monthly', {
    schema: {
      tags: ['reports'],
      querystring: query({
        month: Str('YYYY-MM in Asia/Shanghai (required)'),
        village: Str('only this village; default: the whole township'),
        f: Str('json (default), docx, pdf or csv (the village table)'),
      }),
    },
  }, async (req, reply) => {
    const format = parseFormat(req.query.f, ['docx', 'pdf', 'csv']);
    if (!req.query.month) throw invalidParameter('month', 'is required: the month as YYYY-MM, e.g. month=2026-10');
    const month = parseMonth('month', req.query.month);
    const village = await parseVillage(db, req.query.village);
    const report = await monthlyReport(db, month, village);
    const ascii = `monthly-report-${month.month}`;
    if (format === 'docx') return attach(reply, 'docx', ascii, report.title).send(await reportDocx(db, report));
    if (format === 'pdf') return attach(reply, 'pdf', ascii, report.title).send(await reportPdf(db, report));
    if (format === 'csv') return attach(reply, 'csv', ascii, report.title).send(toCsv([...report.villages, { ...report.total, village: '合计' }].map((v) => ({ ...v }) as Record<string, unknown>)));
    return report;
  });
}

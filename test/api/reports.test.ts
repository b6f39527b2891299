/**
 * The village ranking (红黑榜) and the monthly work report (工作汇报) over HTTP on the constructed
 * township, with workflow rows written by direct SQL (test/helpers/workflow.ts) around the
 * edges of October 2026 in Asia/Shanghai. The report's figures are checked against direct SQL
 * and against the numbers put in; the files (DOCX, PDF, XLSX) are opened and read back.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync, mkdirSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { unzipSync, strFromU8 } from 'fflate';
import ExcelJS from 'exceljs';
import { PDFParse } from 'pdf-parse';
import { testApp } from '../helpers/app.js';
import { load } from '../helpers/load.js';
import * as town from '../fixtures/constructed-township.js';
import { resetWorkflow, insertFinding, insertNotice, insertPlanting, insertSurvivalCheck } from '../helpers/workflow.js';
import type { Db } from '../../server/db/index.js';
import { rankVillages } from '../../server/reports/score.js';

const lonLat = (p: readonly number[]) => ({ lon: p[0], lat: p[1] });

let app: FastifyInstance;
let db: Db;
const ARTIFACTS = 'test/e2e/artifacts';

beforeAll(async () => {
  const t = await testApp();
  app = t.app;
  db = t.db;
  await resetWorkflow(db);
  await load(db, 'roads', town.roads);
  await load(db, 'villages', town.villages);
  await load(db, 'demolition_sites', town.sites);
  await load(db, 'garbage_points', town.garbagePoints);
  await load(db, 'afforestation_plots', town.plots);

  // Garbage cleared: 东村 2.5 t on 10 Oct; 西村 1.25 t in the last half hour of October (Shanghai)
  // and 7 t half an hour into November (still October in UTC: not counted). g1 of the fixture
  // (东村, no tonnage) was cleared on 6 October.
  const g = (at: number[], reported: string, cleared: string, t: number) => db.query(
    `INSERT INTO garbage_points (category, status, volume_t, reported_at, cleared_at, geom) VALUES ('domestic', 'cleared', $1, $2, $3, ST_SetSRID(ST_MakePoint($4, $5), 4326))`,
    [t, reported, cleared, at[0], at[1]]);
  await g(town.onA(300, 50), '2026-10-09T09:00:00+08:00', '2026-10-10T09:00:00+08:00', 2.5);
  await g(town.onA(2600, 50), '2026-10-20T09:00:00+08:00', '2026-10-31T23:30:00+08:00', 1.25);
  await g(town.onA(2700, 50), '2026-10-20T09:00:00+08:00', '2026-11-01T00:30:00+08:00', 7);

  // Demolished: one in 东村 and one in 西村 in October, one on 1 November.
  const d = (at: number[], on: string) => db.query(
    `INSERT INTO demolition_sites (kind, status, identified_on, demolished_on, geom) VALUES ('pig_pen', 'demolished', '2026-09-01', $1, ST_SetSRID(ST_MakePoint($2, $3), 4326))`,
    [on, at[0], at[1]]);
  await d(town.onA(400, 60), '2026-10-12');
  await d(town.onA(2400, 60), '2026-10-31');
  await d(town.onA(2450, 60), '2026-11-01');

  // Findings: two in 东村 (the second repeats the first), one repeat in 西村 in the last minute of
  // October, one in 东村 ten minutes into November, one outside every village.
  const f1 = await insertFinding(db, { ...lonLat(town.onA(100, 5)), found_at: '2026-10-02T10:00:00+08:00', village: '东村' });
  await insertFinding(db, { ...lonLat(town.onA(100, 8)), found_at: '2026-10-15T10:00:00+08:00', village: '东村', repeat_of: f1 });
  const f3 = await insertFinding(db, { ...lonLat(town.onA(2500, 5)), found_at: '2026-09-20T10:00:00+08:00', village: '西村', category: 'straw_pile' });
  await insertFinding(db, { ...lonLat(town.onA(2500, 6)), found_at: '2026-10-31T23:59:00+08:00', village: '西村', category: 'straw_pile', repeat_of: f3 });
  await insertFinding(db, { ...lonLat(town.onA(200, 5)), found_at: '2026-11-01T00:10:00+08:00', village: '东村', repeat_of: f1 });
  await insertFinding(db, { ...lonLat(town.onA(-2000, 5)), found_at: '2026-10-05T10:00:00+08:00', village: null });

  // Notices: see each line.
  await insertNotice(db, { number: 'N1', village: '东村', issued_at: '2026-10-03T09:00:00+08:00', deadline: '2026-10-06', closed_at: '2026-10-05T09:00:00+08:00', finding_ids: [f1] }); // issued, closed
  await insertNotice(db, { number: 'N2', village: '东村', issued_at: '2026-10-20T09:00:00+08:00', deadline: '2026-10-25' }); // issued, open, overdue
  await insertNotice(db, { number: 'N3', village: '西村', issued_at: '2026-10-30T09:00:00+08:00', deadline: '2026-11-02' }); // issued, open
  await insertNotice(db, { number: 'N4', village: '西村', issued_at: '2026-09-10T09:00:00+08:00', deadline: '2026-09-15', closed_at: '2026-10-02T09:00:00+08:00' }); // held, closed
  await insertNotice(db, { number: 'N5', village: '西村', issued_at: '2026-09-01T09:00:00+08:00', deadline: '2026-09-05', closed_at: '2026-09-20T09:00:00+08:00' }); // not held
  await insertNotice(db, { number: 'N6', village: '东村', issued_at: '2026-11-01T00:30:00+08:00', deadline: '2026-11-03' }); // November
  await insertNotice(db, { number: 'N7', village: '西村', issued_at: '2026-10-31T23:00:00+08:00', deadline: '2026-10-31' }); // issued, open, overdue from 1 Nov

  // Greening: plot 1 (T-1) and plot 2 (T-2) are both 东村's.
  await insertPlanting(db, { plot_id: 1, planted_on: '2026-10-08', planted_mu: 12.5, trees: 300, species: '女贞' });
  await insertPlanting(db, { plot_id: 2, planted_on: '2026-10-31', planted_mu: 3.25, trees: 80, species: '石榴' });
  await insertPlanting(db, { plot_id: 1, planted_on: '2026-11-02', planted_mu: 4, trees: 100 });
  await insertSurvivalCheck(db, { plot_id: 1, checked_on: '2026-10-20', sample_planted: 100, sample_alive: 90 });
  await insertSurvivalCheck(db, { plot_id: 2, checked_on: '2026-10-21', sample_planted: 100, sample_alive: 60 });
  await insertSurvivalCheck(db, { plot_id: 2, checked_on: '2026-09-30', sample_planted: 50, sample_alive: 10 });
  mkdirSync(ARTIFACTS, { recursive: true });
});
afterAll(async () => {
  await resetWorkflow(db);
  await app.close();
});

async function expectBad(url: string, parameter: string, says: RegExp) {
  const res = await app.inject(url);
  expect(res.statusCode, url).toBe(400);
  const body = res.json();
  expect(body.error, url).toBe('invalid_parameter');
  expect(body.details[0].parameter, url).toBe(parameter);
  expect(body.message, url).toMatch(says);
}

/** One number from direct SQL. */
async function sql(text: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.query<{ n: number | string | null }>(text, params);
  return Number(rows[0].n ?? 0);
}

const OCT = ['2026-10-01', '2026-11-01'];
const inOctober = (col: string) => `(${col} AT TIME ZONE 'Asia/Shanghai') >= $1::timestamp AND (${col} AT TIME ZONE 'Asia/Shanghai') < $2::timestamp`;

describe('monthly report figures', () => {
  it('match the numbers put in, for the township and per village', async () => {
    const res = await app.inject('/api/reports/monthly?month=2026-10');
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.title).toBe('测试镇2026年10月环境整治工作汇报');
    expect(r.parameters).toMatchObject({ month: '2026-10', village: null, township: '测试镇', time_zone: 'Asia/Shanghai' });
    expect(r.total).toMatchObject({
      garbage_points_cleared: 3, garbage_tons: 3.75, findings: 4, repeat_findings: 2,
      notices_issued: 4, notices_closed: 2, notices_open: 3, notices_overdue: 2,
      structures_demolished: 2, planted_mu: 15.75, trees_planted: 380,
      survival_checks: 2, sample_planted: 200, sample_alive: 150, survival_pct: 75, checks_passed: 1, checks_gap_replant: 1, checks_replant: 0,
    });
    const by = Object.fromEntries(r.villages.map((v: { village: string | null }) => [v.village ?? '(none)', v]));
    expect(by['东村']).toMatchObject({ garbage_points_cleared: 2, garbage_tons: 2.5, findings: 2, repeat_findings: 1, notices_issued: 2, notices_closed: 1, notices_open: 1, notices_overdue: 1, structures_demolished: 1, planted_mu: 15.75 });
    expect(by['西村']).toMatchObject({ garbage_points_cleared: 1, garbage_tons: 1.25, findings: 1, repeat_findings: 1, notices_issued: 2, notices_closed: 1, notices_open: 2, notices_overdue: 1, structures_demolished: 1, planted_mu: 0, survival_pct: null });
    expect(by['(none)']).toMatchObject({ findings: 1 });
  });

  it('match direct SQL', async () => {
    const r = (await app.inject('/api/reports/monthly?month=2026-10')).json();
    const east = r.villages.find((v: { village: string }) => v.village === '东村');
    const inEast = (t: string) => `EXISTS (SELECT 1 FROM villages v WHERE v.name = '东村' AND ST_Within(${t}.geom, v.geom))`;
    expect(r.total.garbage_tons).toBeCloseTo(await sql(`SELECT sum(volume_t) AS n FROM garbage_points g WHERE ${inOctober('cleared_at')}`, OCT), 6);
    expect(r.total.garbage_points_cleared).toBe(await sql(`SELECT count(*) AS n FROM garbage_points g WHERE ${inOctober('cleared_at')}`, OCT));
    expect(east.garbage_tons).toBeCloseTo(await sql(`SELECT coalesce(sum(volume_t), 0) AS n FROM garbage_points g WHERE ${inOctober('cleared_at')} AND ${inEast('g')}`, OCT), 6);
    expect(east.structures_demolished).toBe(await sql(`SELECT count(*) AS n FROM demolition_sites d WHERE status = 'demolished' AND demolished_on BETWEEN '2026-10-01' AND '2026-10-31' AND ${inEast('d')}`));
    expect(r.total.planted_mu).toBeCloseTo(await sql(`SELECT sum(planted_mu) AS n FROM plantings WHERE to_char(planted_on, 'YYYY-MM') = '2026-10'`), 6);
    expect(r.total.notices_issued).toBe(await sql(`SELECT count(*) AS n FROM notices WHERE ${inOctober('issued_at')}`, OCT));
    expect(r.total.notices_overdue).toBe(await sql(
      `SELECT count(*) AS n FROM notices WHERE (issued_at AT TIME ZONE 'Asia/Shanghai') < '2026-11-01' AND (closed_at IS NULL OR (closed_at AT TIME ZONE 'Asia/Shanghai') >= '2026-11-01') AND deadline <= '2026-10-31'`));
    expect(r.total.findings).toBe(await sql(`SELECT count(*) AS n FROM findings WHERE ${inOctober('found_at')}`, OCT));
    expect(r.total.survival_pct).toBeCloseTo(await sql(`SELECT 100.0 * sum(sample_alive) / sum(sample_planted) AS n FROM survival_checks WHERE checked_on >= '2026-10-01' AND checked_on < '2026-11-01'`), 1);
  });

  it('takes km rated excellent and rewards from the corridor analysis', async () => {
    const r = (await app.inject('/api/reports/monthly?month=2026-10')).json();
    const c = (await app.inject('/api/analysis/corridor?month=2026-10')).json();
    for (const l of c.ledger.filter((x: { village: string | null }) => x.village)) {
      const v = r.villages.find((x: { village: string }) => x.village === l.village);
      expect(v, l.village).toMatchObject({ excellent_km: l.excellent_km, qualified_km: l.qualified_km, unqualified_km: l.unqualified_km, reward_yuan: l.reward_yuan });
    }
    const sumExcellent = c.ledger.reduce((s: number, l: { excellent_km: number }) => s + l.excellent_km, 0);
    expect(r.total.excellent_km).toBeCloseTo(sumExcellent, 3);
    expect(r.parameters.corridor_rewards).toEqual(c.parameters.rewards);
  });

  it('for one village gives only that village', async () => {
    const r = (await app.inject(`/api/reports/monthly?month=2026-10&village=${encodeURIComponent('西村')}`)).json();
    expect(r.villages.map((v: { village: string }) => v.village)).toEqual(['西村']);
    expect(r.total).toMatchObject({ village: '西村', garbage_tons: 1.25, notices_issued: 2, notices_overdue: 1 });
  });
});

describe('monthly report files', () => {
  it('CSV: the village table and the total', async () => {
    const res = await app.inject('/api/reports/monthly?month=2026-10&f=csv');
    expect(res.statusCode).toBe(200);
    const lines = res.body.replace(/^\ufeff/, '').trim().split(/\r?\n/);
    const header = lines[0].split(',');
    const total = lines.at(-1)!.split(',');
    expect(total[header.indexOf('village')]).toBe('合计');
    expect(Number(total[header.indexOf('garbage_tons')])).toBe(3.75);
    expect(lines).toHaveLength(1 + 3 + 1);
  });

  it('DOCX: the title, the figures in sentences, the village table and the map', async () => {
    const res = await app.inject('/api/reports/monthly?month=2026-10&f=docx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('wordprocessingml');
    expect(String(res.headers['content-disposition'])).toMatch(/attachment; filename="monthly-report-2026-10\.docx"; filename\*=UTF-8''/);
    writeFileSync(`${ARTIFACTS}/monthly-report-2026-10.docx`, res.rawPayload);
    const files = unzipSync(new Uint8Array(res.rawPayload));
    const xml = strFromU8(files['word/document.xml']);
    const text = xml.replace(/<[^>]+>/g, '');
    expect(text).toContain('测试镇2026年10月环境整治工作汇报');
    expect(text).toContain('清理垃圾点3处，清运垃圾3.75吨');
    expect(text).toContain('下发整改通知书4份，整改销号2份');
    expect(text).toContain('尚有3份未销号，其中逾期2份');
    expect(text).toContain('拆除沿线猪圈、旱厕、柴棚及违章建筑2处');
    expect(text).toContain('完成植树造林15.75亩');
    expect(text).toContain('成活率75%');
    expect((xml.match(/<w:tr[ >]/g) ?? []).length, 'header, 东村, 西村, outside, total').toBe(5);
    const media = Object.keys(files).filter((f) => f.startsWith('word/media/'));
    expect(media).toHaveLength(1);
    expect([...files[media[0]].slice(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
  });

  it('PDF: the same words, in the embedded CJK font', async () => {
    const res = await app.inject(`/api/reports/monthly?month=2026-10&village=${encodeURIComponent('东村')}&f=pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    writeFileSync(`${ARTIFACTS}/monthly-report-2026-10-east.pdf`, res.rawPayload);
    const parser = new PDFParse({ data: new Uint8Array(res.rawPayload) });
    const { text } = await parser.getText();
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain('测试镇2026年10月环境整治工作汇报');
    expect(flat).toContain('清理垃圾点2处，清运垃圾2.5吨');
    expect(flat).toContain('下发整改通知书2份，整改销号1份');
    expect(flat).toContain('完成植树造林15.75亩');
    expect(res.rawPayload.toString('latin1')).toMatch(/NotoSansSC/);
    expect(res.rawPayload.toString('latin1'), 'the map figure').toMatch(/\/Subtype\s*\/Image/);
    // Every page as PNG, to look at (test/e2e/artifacts/).
    const shot = await parser.getScreenshot({ scale: 1.5 });
    shot.pages.forEach((p, i) => writeFileSync(`${ARTIFACTS}/monthly-report-2026-10-east-p${i + 1}.png`, p.data));
    await parser.destroy();
  });
});

describe('ranking', () => {
  it('ranks from the corridor, setback, notice and repeat figures, with every figure and the rules', async () => {
    const res = await app.inject('/api/analysis/ranking?month=2026-10');
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.parameters).toMatchObject({ month: '2026-10', weights: { corridor: 0.4, notices: 0.25, repeats: 0.15, setback: 0.2 }, red_list: 3, black_list: 3 });
    const by = Object.fromEntries(r.villages.map((v: { village: string }) => [v.village, v]));
    expect(Object.keys(by).sort()).toEqual(['东村', '西村']);
    // Notices held in October: 东村 N1, N2; 西村 N3, N4, N7.
    expect(by['东村']).toMatchObject({ notices: 2, open_notices: 1, overdue_notices: 1, repeat_findings: 1 });
    expect(by['西村']).toMatchObject({ notices: 3, open_notices: 2, overdue_notices: 1, repeat_findings: 1 });
    expect(by['东村'].scores.notices).toBe(50); // 100·(1 − 2/4)
    expect(by['西村'].scores.notices).toBe(50); // 100·(1 − 3/6)
    const corridor = (await app.inject('/api/analysis/corridor?month=2026-10')).json();
    const setback = (await app.inject('/api/analysis/setback')).json();
    for (const name of ['东村', '西村']) {
      const l = corridor.ledger.find((x: { village: string }) => x.village === name);
      expect(by[name]).toMatchObject({ excellent_km: l.excellent_km, qualified_km: l.qualified_km, unqualified_km: l.unqualified_km, reward_yuan: l.reward_yuan });
      const s = setback.villages.find((x: { name: string }) => x.name === name);
      expect(by[name]).toMatchObject({ setback_units: s.units, violating_units: s.violating_units });
      expect(by[name].scores.setback).toBeCloseTo(s.compliance_pct, 2);
    }
    // The route's scores are the pure function's on the figures it shows.
    const again = rankVillages(r.villages, r.parameters);
    expect(again.map((v) => [v.village, v.total, v.rank])).toEqual(r.villages.map((v: { village: string; total: number; rank: number }) => [v.village, v.total, v.rank]));
    // Two villages, three places on the red list: both red, none black.
    expect(r.red.map((x: { village: string }) => x.village)).toEqual(r.villages.map((v: { village: string }) => v.village));
    expect(r.black).toEqual([]);
  });

  it('follows the weights and list sizes in settings', async () => {
    const put = await app.inject({ method: 'PUT', url: '/api/settings/ranking', headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ weights: { corridor: 0, notices: 0, repeats: 0, setback: 1 }, red_list: 1, black_list: 1 }) });
    expect(put.statusCode).toBe(200);
    try {
      const r = (await app.inject('/api/analysis/ranking?month=2026-10')).json();
      for (const v of r.villages) expect(v.total).toBe(v.scores.setback);
      expect(r.red).toHaveLength(1);
      expect(r.black).toHaveLength(1);
      expect(r.red[0].total).toBeGreaterThanOrEqual(r.black[0].total);
    } finally {
      await db.query(`UPDATE settings SET value = '{"weights": {"corridor": 0.4, "notices": 0.25, "repeats": 0.15, "setback": 0.2}, "red_list": 3, "black_list": 3}' WHERE key = 'ranking'`);
    }
  });

  it('XLSX: Chinese headers, one row per village with every figure', async () => {
    const json = (await app.inject('/api/analysis/ranking?month=2026-10')).json();
    const res = await app.inject('/api/analysis/ranking?month=2026-10&f=xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(expect.arrayContaining(['排名', '行政村', '榜单', '总分', '路域保洁得分', '优秀公里', '逾期通知', '重复问题', '退让违规单元']));
    expect(sheet.rowCount).toBe(1 + json.villages.length);
    const col = (h: string) => header.indexOf(h) + 1;
    json.villages.forEach((v: { village: string; total: number; overdue_notices: number; list: string | null }, i: number) => {
      const row = sheet.getRow(i + 2);
      expect(row.getCell(col('行政村')).value).toBe(v.village);
      expect(row.getCell(col('总分')).value).toBe(v.total);
      expect(row.getCell(col('逾期通知')).value).toBe(v.overdue_notices);
      expect(row.getCell(col('榜单')).value).toBe(v.list === 'red' ? '红榜' : v.list === 'black' ? '黑榜' : '');
    });
    expect(book.getWorksheet('评分规则')).toBeTruthy();
  });

  it('PDF: the lists, the table with the figures and the rules', async () => {
    const json = (await app.inject('/api/analysis/ranking?month=2026-10')).json();
    const res = await app.inject('/api/analysis/ranking?month=2026-10&f=pdf');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    writeFileSync(`${ARTIFACTS}/ranking-2026-10.pdf`, res.rawPayload);
    const parser = new PDFParse({ data: new Uint8Array(res.rawPayload) });
    const flat = (await parser.getText()).text.replace(/\s+/g, '');
    expect(flat).toContain('测试镇2026年10月村庄环境整治红黑榜');
    expect(flat).toContain('红榜');
    for (const v of json.villages) expect(flat).toContain(`第${v.rank}名${v.village}${v.total}分`);
    expect(flat).toContain('评分方法');
    const shot = await parser.getScreenshot({ first: 1, scale: 1.5 });
    writeFileSync(`${ARTIFACTS}/ranking-2026-10-p1.png`, shot.pages[0].data);
    await parser.destroy();
  });
});

describe('bad input', () => {
  it('a month not YYYY-MM, a month not begun, an unknown village, an unknown format → 400 naming the parameter', async () => {
    await expectBad('/api/analysis/ranking?month=2026-13', 'month', /YYYY-MM/);
    await expectBad('/api/analysis/ranking?month=October', 'month', /YYYY-MM/);
    await expectBad('/api/analysis/ranking?month=2999-01', 'month', /not begun/);
    await expectBad('/api/analysis/ranking?month=2026-10&f=xls', 'f', /pdf, xlsx/);
    await expectBad('/api/reports/monthly', 'month', /required/);
    await expectBad('/api/reports/monthly?month=2026-1', 'month', /YYYY-MM/);
    await expectBad(`/api/reports/monthly?month=2026-10&village=${encodeURIComponent('南村')}`, 'village', /东村, 西村/);
    await expectBad('/api/reports/monthly?month=2026-10&f=doc', 'f', /docx, pdf, csv/);
  });

  it('refuses unknown query parameters', async () => {
    const res = await app.inject('/api/reports/monthly?month=2026-10&area=x');
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBeTruthy();
  });
});

describe('an empty township', () => {
  it('still answers the ranking and the report, in every format', async () => {
    await resetWorkflow(db);
    await db.exec('TRUNCATE roads, villages, garbage_points, demolition_sites, afforestation_plots RESTART IDENTITY CASCADE');
    const r = (await app.inject('/api/analysis/ranking?month=2026-10')).json();
    expect(r).toMatchObject({ red: [], black: [], villages: [] });
    const m = (await app.inject('/api/reports/monthly?month=2026-10')).json();
    expect(m.total).toMatchObject({ garbage_points_cleared: 0, garbage_tons: 0, notices_issued: 0, planted_mu: 0, survival_pct: null });
    for (const url of ['/api/analysis/ranking?month=2026-10&f=pdf', '/api/analysis/ranking?month=2026-10&f=xlsx', '/api/reports/monthly?month=2026-10&f=docx', '/api/reports/monthly?month=2026-10&f=pdf']) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.rawPayload.length, url).toBeGreaterThan(1000);
    }
  });
});

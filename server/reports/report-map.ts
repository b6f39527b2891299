/** The monthly report's map figure, drawn once as PNG; the DOCX and the PDF embed the same image. */
import type { Queryable } from '../db/index.js';
import { sqlFile } from '../db/sql.js';
import { monthOf } from '../analysis/params.js';
import { miniMapPng } from '../print/township-map.js';
import type { MonthlyReport } from './monthly.js';

/** Size of the figure in points (PDF) and pixels at 96 dpi in Word (same aspect). */
export const REPORT_MAP = { width: 480, height: 300 };

export async function reportMapPng(db: Queryable, r: MonthlyReport): Promise<Buffer> {
  const month = monthOf(r.parameters.month)!;
  const { rows } = await db.query<{ lon: number; lat: number }>(sqlFile('print/garbage_cleared_points'), [month.from.toISOString(), month.to.toISOString()]);
  return miniMapPng(db, REPORT_MAP.width, REPORT_MAP.height, {
    village: r.parameters.village,
    points: rows.map((p) => ({ lon: p.lon, lat: p.lat, color: '#009e73' })),
  });
}

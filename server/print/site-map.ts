/**
 * A small map drawn into a pdfkit document from our own PostGIS data (no network tiles): the
 * village boundaries and roads inside the frame and numbered points, with a scale bar. The frame
 * is the points' extent with a margin (at least `spanM` across), or the named village's extent.
 */
import type { Queryable } from '../db/index.js';
import { sqlFile } from '../db/sql.js';

export interface MiniMapPoint {
  lon: number;
  lat: number;
  label?: string;
}

export interface MiniMapOptions {
  points: MiniMapPoint[];
  /** This village's boundary is drawn stronger and named. */
  village?: string;
  /** Smallest width of the frame in metres (default 600). */
  spanM?: number;
}

const M_PER_DEG = 111_320;
type Position = number[];
type Geometry = { type: string; coordinates: unknown };

function lines(g: Geometry): Position[][] {
  switch (g.type) {
    case 'LineString': return [g.coordinates as Position[]];
    case 'MultiLineString': case 'Polygon': return g.coordinates as Position[][];
    case 'MultiPolygon': return (g.coordinates as Position[][][]).flat();
    default: return [];
  }
}

const ROAD_WIDTH: Record<string, number> = { national: 2.4, provincial: 2, county: 1.6, township: 1.2, village: 0.9 };

/** Draws the map into the box x, y, w, h (points). */
export async function drawSiteMap(q: Queryable, doc: PDFKit.PDFDocument, x: number, y: number, w: number, h: number, opts: MiniMapOptions): Promise<void> {
  const pts = opts.points;
  const lat0 = pts.length ? pts.reduce((s, p) => s + p.lat, 0) / pts.length : 0;
  const kx = Math.cos((lat0 * Math.PI) / 180);
  const lon0 = pts.length ? pts.reduce((s, p) => s + p.lon, 0) / pts.length : 0;
  // Metres per point of paper, so that the frame (with its aspect) holds every point plus margin.
  const spanM = opts.spanM ?? 600;
  const needX = Math.max(spanM, ...pts.map((p) => Math.abs(p.lon - lon0) * M_PER_DEG * kx * 2 * 1.3));
  const needY = Math.max(spanM * (h / w), ...pts.map((p) => Math.abs(p.lat - lat0) * M_PER_DEG * 2 * 1.3));
  const mPerPt = Math.max(needX / w, needY / h);
  const halfLon = (w / 2) * mPerPt / (M_PER_DEG * kx);
  const halfLat = (h / 2) * mPerPt / M_PER_DEG;
  const px = (lon: number) => x + w / 2 + ((lon - lon0) * M_PER_DEG * kx) / mPerPt;
  const py = (lat: number) => y + h / 2 - ((lat - lat0) * M_PER_DEG) / mPerPt;

  const { rows } = await q.query<{ kind: string; label: string; class: string | null; geojson: string }>(sqlFile('print/site_map'),
    [lon0 - halfLon, lat0 - halfLat, lon0 + halfLon, lat0 + halfLat, mPerPt / M_PER_DEG]);

  doc.save();
  doc.rect(x, y, w, h).fillAndStroke('#f7f5ef', '#888888');
  doc.rect(x, y, w, h).clip();
  const path = (g: Geometry) => {
    for (const ring of lines(g)) {
      ring.forEach(([lon, lat], i) => (i === 0 ? doc.moveTo(px(lon), py(lat)) : doc.lineTo(px(lon), py(lat))));
    }
  };
  for (const r of rows.filter((r) => r.kind === 'village')) {
    const mine = r.label === opts.village;
    path(JSON.parse(r.geojson) as Geometry);
    doc.lineWidth(mine ? 1.4 : 0.6).dash(mine ? 4 : 2, { space: 2 }).strokeColor(mine ? '#b03030' : '#999999').stroke().undash();
  }
  for (const r of rows.filter((r) => r.kind === 'road')) {
    path(JSON.parse(r.geojson) as Geometry);
    doc.lineWidth(ROAD_WIDTH[r.class ?? 'village'] ?? 1).strokeColor('#7a6a50').stroke();
  }
  doc.font('cjk').fontSize(6).fillColor('#555555');
  // Road codes at the middle of the part of each road that is inside the frame.
  for (const r of rows.filter((r) => r.kind === 'road')) {
    const inside: [number, number][] = [];
    for (const c of lines(JSON.parse(r.geojson) as Geometry)) {
      for (let i = 1; i < c.length; i++) {
        for (let k = 0; k <= 20; k++) {
          const sx = px(c[i - 1][0] + ((c[i][0] - c[i - 1][0]) * k) / 20);
          const sy = py(c[i - 1][1] + ((c[i][1] - c[i - 1][1]) * k) / 20);
          if (sx > x + 4 && sx < x + w - 30 && sy > y + 12 && sy < y + h - 14) inside.push([sx, sy]);
        }
      }
    }
    const at = inside[Math.floor(inside.length / 2)];
    if (at) doc.text(r.label, at[0] + 2, at[1] + 1, { lineBreak: false });
  }
  for (const p of pts) {
    doc.circle(px(p.lon), py(p.lat), 3.2).fillAndStroke('#d62828', '#ffffff');
    if (p.label) doc.font('cjk-bold').fontSize(7).fillColor('#d62828').text(p.label, px(p.lon) + 4, py(p.lat) - 9, { lineBreak: false });
  }
  doc.restore();
  // Scale bar: a round length near a quarter of the width.
  const target = (w / 4) * mPerPt;
  const step = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000].find((s) => s >= target) ?? 10000;
  const len = step / mPerPt;
  doc.save().lineWidth(1).strokeColor('#333333')
    .moveTo(x + 6, y + h - 6).lineTo(x + 6 + len, y + h - 6).stroke()
    .font('cjk').fontSize(6).fillColor('#333333').text(step >= 1000 ? `${step / 1000} km` : `${step} m`, x + 8 + len, y + h - 10, { lineBreak: false });
  if (opts.village) doc.text(opts.village, x + 4, y + 3, { lineBreak: false });
  doc.restore();
}

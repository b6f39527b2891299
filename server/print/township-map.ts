/**
 * A small map for printed files, drawn from PostGIS data without any network tiles: village
 * boundaries (optionally filled), trunk roads, optional points, village names. It is drawn once as
 * SVG, rasterised with sharp to PNG (the DOCX embeds the PNG) and the PDF places the same PNG.
 * Labels are glyph outlines from the bundled Noto Sans SC (fontkit), so no system font is needed.
 */
import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import sharp from 'sharp';
import type { Queryable } from '../db/index.js';
import { sqlFile } from '../db/sql.js';
import { cjkFont } from './fonts.js';

export interface MiniMapOptions {
  /** Frame this village (others stay as context); default: every village. */
  village?: string | null;
  /** Fill colours per village name (e.g. red and black lists). */
  fills?: Record<string, string>;
  /** Points to mark, e.g. garbage points cleared. */
  points?: { lon: number; lat: number; color: string }[];
  /** Draw village names (default true). */
  labels?: boolean;
}

export interface MiniMapData {
  villages: { name: string; geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon; label: [number, number] }[];
  roads: { code: string; class: string; geometry: GeoJSON.LineString | GeoJSON.MultiLineString }[];
}

export async function miniMapData(db: Queryable): Promise<MiniMapData> {
  const { rows: villages } = await db.query<{ name: string; geometry: string; label: string }>(sqlFile('print/mini_map_villages'));
  const { rows: roads } = await db.query<{ code: string; class: string; geometry: string }>(sqlFile('print/mini_map_roads'));
  return {
    villages: villages.map((v) => ({ name: v.name, geometry: JSON.parse(v.geometry), label: JSON.parse(v.label).coordinates })),
    roads: roads.map((r) => ({ code: r.code, class: r.class, geometry: JSON.parse(r.geometry) })),
  };
}

interface Glyphs { unitsPerEm: number; layout(text: string): { glyphs: { path: { toSVG(): string } }[]; positions: { xAdvance: number }[] } }
let font: Glyphs | undefined;
function labelFont(): Glyphs {
  font ??= fontkit.create(readFileSync(cjkFont('regular'))) as unknown as Glyphs;
  return font;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** A text as filled glyph outlines, centred on (x, y). */
function textPath(text: string, x: number, y: number, size: number, fill: string): string {
  const f = labelFont();
  const run = f.layout(text);
  const scale = size / f.unitsPerEm;
  const width = run.positions.reduce((w, p) => w + p.xAdvance, 0) * scale;
  let pen = 0;
  const parts = run.glyphs.map((g, i) => {
    const d = g.path.toSVG();
    const at = pen;
    pen += run.positions[i].xAdvance;
    return d ? `<path transform="translate(${(x - width / 2 + at * scale).toFixed(1)} ${(y + size * 0.35).toFixed(1)}) scale(${scale} ${-scale})" d="${d}"/>` : '';
  });
  return `<g fill="${fill}" stroke="#ffffff" stroke-width="${(2 / scale).toFixed(0)}" paint-order="stroke">${parts.join('')}</g>`;
}

const ROAD_STYLE: Record<string, { color: string; width: number }> = {
  national: { color: '#d55e00', width: 3 },
  provincial: { color: '#e69f00', width: 2.6 },
  county: { color: '#7a5c00', width: 2 },
  township: { color: '#555555', width: 1.5 },
  village: { color: '#999999', width: 1 },
};

/** The map as an SVG document of w × h pixels. */
export function miniMapSvg(data: MiniMapData, w: number, h: number, opts: MiniMapOptions = {}): string {
  const framed = opts.village ? data.villages.filter((v) => v.name === opts.village) : data.villages;
  const coords = (framed.length ? framed : data.villages).flatMap((v) => (v.geometry.type === 'Polygon' ? [v.geometry.coordinates] : v.geometry.coordinates).flat(2));
  if (!coords.length) for (const r of data.roads) coords.push(...(r.geometry.type === 'LineString' ? r.geometry.coordinates : r.geometry.coordinates.flat()));
  const lons = coords.map((c) => c[0]);
  const lats = coords.map((c) => c[1]);
  let [minX, maxX, minY, maxY] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  if (!coords.length) [minX, maxX, minY, maxY] = [0, 1, 0, 1];
  const k = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  const pad = 12;
  const spanX = Math.max((maxX - minX) * k, 1e-9);
  const spanY = Math.max(maxY - minY, 1e-9);
  const s = Math.min((w - 2 * pad) / spanX, (h - 2 * pad) / spanY);
  const ox = (w - spanX * s) / 2;
  const oy = (h - spanY * s) / 2;
  const px = (c: number[]) => `${(ox + (c[0] - minX) * k * s).toFixed(1)},${(h - oy - (c[1] - minY) * s).toFixed(1)}`;
  const ring = (r: number[][]) => `M${r.map(px).join('L')}Z`;
  const lineD = (l: number[][]) => `M${l.map(px).join('L')}`;

  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`,
    `<rect width="${w}" height="${h}" fill="#ffffff"/>`, `<clipPath id="frame"><rect width="${w}" height="${h}"/></clipPath><g clip-path="url(#frame)">`];
  for (const v of data.villages) {
    const polys = v.geometry.type === 'Polygon' ? [v.geometry.coordinates] : v.geometry.coordinates;
    const d = polys.map((p) => p.map(ring).join('')).join('');
    const fill = opts.fills?.[v.name] ?? (opts.village && v.name !== opts.village ? '#f2f2f2' : '#eef5e9');
    out.push(`<path d="${d}" fill="${fill}" fill-rule="evenodd" stroke="#4d7c3a" stroke-width="1" stroke-dasharray="4 2"/>`);
  }
  for (const r of data.roads) {
    const st = ROAD_STYLE[r.class] ?? ROAD_STYLE.village;
    const lines = r.geometry.type === 'LineString' ? [r.geometry.coordinates] : r.geometry.coordinates;
    out.push(`<path d="${lines.map(lineD).join('')}" fill="none" stroke="${st.color}" stroke-width="${st.width}" stroke-linecap="round" stroke-linejoin="round"/>`);
  }
  for (const p of opts.points ?? []) {
    const [x, y] = px([p.lon, p.lat]).split(',');
    out.push(`<circle cx="${x}" cy="${y}" r="3" fill="${esc(p.color)}" stroke="#ffffff" stroke-width="0.8"/>`);
  }
  if (opts.labels !== false) {
    for (const v of data.villages) {
      const [x, y] = px(v.label).split(',').map(Number);
      if (x < 0 || y < 0 || x > w || y > h) continue;
      out.push(textPath(v.name, x, y, Math.max(10, Math.min(16, w / 40)), '#1f3b12'));
    }
  }
  // scale bar: a round distance near a fifth of the width
  const metresPerPx = 111_320 / s;
  const target = (w / 5) * metresPerPx;
  const step = [100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000].find((m) => m >= target) ?? 100000;
  const len = step / metresPerPx;
  out.push(`</g><g stroke="#333" stroke-width="1.5" fill="none"><path d="M${pad},${h - pad}h${len.toFixed(1)}M${pad},${h - pad - 4}v4M${(pad + len).toFixed(1)},${h - pad - 4}v4"/></g>`);
  out.push(textPath(step >= 1000 ? `${step / 1000} km` : `${step} m`, pad + len / 2, h - pad - 9, 10, '#333333'));
  out.push('</svg>');
  return out.join('');
}

/** The map as PNG, rendered at `density` pixels per SVG pixel (2: sharp on paper). */
export async function miniMapPng(db: Queryable, w: number, h: number, opts: MiniMapOptions = {}, density = 2): Promise<Buffer> {
  const svg = miniMapSvg(await miniMapData(db), w, h, opts);
  return sharp(Buffer.from(svg), { density: 72 * density }).png().toBuffer();
}

/** Draws the map into a pdfkit document at x, y with width w and height h (points). */
export async function drawTownshipMap(doc: PDFKit.PDFDocument, db: Queryable, x: number, y: number, w: number, h: number, opts: MiniMapOptions = {}): Promise<void> {
  const png = await miniMapPng(db, Math.round(w), Math.round(h), opts);
  doc.image(png, x, y, { width: w, height: h });
  doc.save().lineWidth(0.5).strokeColor('#888888').rect(x, y, w, h).stroke().restore();
}

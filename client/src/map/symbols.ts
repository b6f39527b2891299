/**
 * Draws the symbols of symbology.ts onto canvases at run time: map icons (map.addImage), fill
 * patterns, the deck.gl icon atlas and the legend swatches all come from these functions, so
 * no sprite sheet has to be fetched and the legend cannot drift from the map.
 */
import type { FillSymbol, PointSymbol, Shape } from './symbology';

/** Outline of a shape centred on (cx, cy) with radius r, as a polygon (circle: many sides). */
export function shapePolygon(shape: Shape, cx: number, cy: number, r: number): [number, number][] {
  const regular = (n: number, rotation: number, radius = r) =>
    Array.from({ length: n }, (_, i) => {
      const a = rotation + (i * 2 * Math.PI) / n;
      return [cx + radius * Math.cos(a), cy + radius * Math.sin(a)] as [number, number];
    });
  switch (shape) {
    case 'circle':
      return regular(32, 0);
    case 'square':
      return regular(4, Math.PI / 4, r * 1.15);
    case 'diamond':
      return regular(4, -Math.PI / 2, r * 1.2);
    case 'triangle':
      // The centroid sits a little low so the triangle looks centred.
      return regular(3, -Math.PI / 2, r * 1.25).map(([x, y]) => [x, y + r * 0.15]);
    case 'hexagon':
      return regular(6, 0, r * 1.05);
    case 'pentagon':
      return regular(5, -Math.PI / 2, r * 1.1);
    case 'star':
      return Array.from({ length: 10 }, (_, i) => {
        const a = -Math.PI / 2 + (i * Math.PI) / 5;
        const rr = i % 2 === 0 ? r * 1.25 : r * 0.55;
        return [cx + rr * Math.cos(a), cy + rr * Math.sin(a)] as [number, number];
      });
    case 'house':
      return [
        [cx, cy - r * 1.15],
        [cx + r, cy - r * 0.15],
        [cx + r, cy + r],
        [cx - r, cy + r],
        [cx - r, cy - r * 0.15],
      ];
  }
}

/** Size in CSS pixels of one point icon (drawn at pixelRatio for sharpness). */
export const ICON_SIZE = 22;

function tracePolygon(ctx: CanvasRenderingContext2D, pts: [number, number][]): void {
  ctx.beginPath();
  pts.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
  ctx.closePath();
}

/** Draws one point symbol into ctx at (cx, cy) with size s (pixels of the canvas). */
export function drawPointSymbol(ctx: CanvasRenderingContext2D, symbol: PointSymbol, cx: number, cy: number, s: number): void {
  const r = s * 0.3;
  const pts = shapePolygon(symbol.shape, cx, cy, r);
  ctx.lineJoin = 'round';
  // White halo: keeps the symbol readable on any fill or line below it.
  tracePolygon(ctx, pts);
  ctx.strokeStyle = '#FFFFFF';
  ctx.lineWidth = s * 0.16;
  ctx.stroke();
  tracePolygon(ctx, pts);
  if (symbol.hollow) {
    ctx.fillStyle = '#FFFFFF';
    ctx.fill();
    ctx.strokeStyle = symbol.color;
    ctx.lineWidth = s * 0.1;
    ctx.stroke();
  } else {
    ctx.fillStyle = symbol.color;
    ctx.fill();
    ctx.strokeStyle = 'rgba(0,0,0,0.55)';
    ctx.lineWidth = Math.max(1, s * 0.035);
    ctx.stroke();
  }
  const markColour = symbol.hollow ? symbol.color : '#FFFFFF';
  if (symbol.mark === 'dot') {
    ctx.beginPath();
    ctx.arc(cx, cy + (symbol.shape === 'triangle' ? r * 0.25 : 0), r * 0.32, 0, Math.PI * 2);
    ctx.fillStyle = markColour;
    ctx.fill();
  } else if (symbol.mark === 'bang') {
    const y = cy + (symbol.shape === 'triangle' ? r * 0.22 : 0);
    ctx.beginPath();
    ctx.moveTo(cx, y - r * 0.42);
    ctx.lineTo(cx, y + r * 0.12);
    ctx.strokeStyle = markColour;
    ctx.lineWidth = Math.max(1.5, s * 0.085);
    ctx.lineCap = 'round';
    ctx.stroke();
    ctx.beginPath();
    ctx.arc(cx, y + r * 0.36, Math.max(0.8, s * 0.05), 0, Math.PI * 2);
    ctx.fillStyle = markColour;
    ctx.fill();
  } else if (symbol.mark === 'cross') {
    const k = r * 0.38;
    const y = cy + (symbol.shape === 'triangle' || symbol.shape === 'house' ? r * 0.2 : 0);
    ctx.beginPath();
    ctx.moveTo(cx - k, y - k);
    ctx.lineTo(cx + k, y + k);
    ctx.moveTo(cx + k, y - k);
    ctx.lineTo(cx - k, y + k);
    ctx.strokeStyle = markColour;
    ctx.lineWidth = Math.max(1.5, s * 0.07);
    ctx.lineCap = 'round';
    ctx.stroke();
  }
}

export function pointIconImage(symbol: PointSymbol, pixelRatio: number): ImageData {
  const size = Math.round(ICON_SIZE * pixelRatio);
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size;
  const ctx = canvas.getContext('2d')!;
  drawPointSymbol(ctx, symbol, size / 2, size / 2, size);
  return ctx.getImageData(0, 0, size, size);
}

/** Size of one repeating fill pattern tile, in CSS pixels. */
export const PATTERN_SIZE = 12;

export function drawFillPattern(ctx: CanvasRenderingContext2D, symbol: FillSymbol, size: number): void {
  ctx.clearRect(0, 0, size, size);
  ctx.globalAlpha = symbol.pattern === 'solid' ? 0.5 : 0.22;
  ctx.fillStyle = symbol.color;
  ctx.fillRect(0, 0, size, size);
  ctx.globalAlpha = 0.9;
  ctx.strokeStyle = symbol.color;
  ctx.fillStyle = symbol.color;
  ctx.lineWidth = size / 8;
  const diagonal = (flip: boolean) => {
    // Three strokes so the pattern tiles seamlessly across edges.
    for (const o of [-size, 0, size]) {
      ctx.beginPath();
      if (flip) {
        ctx.moveTo(o, 0);
        ctx.lineTo(o + size, size);
      } else {
        ctx.moveTo(o, size);
        ctx.lineTo(o + size, 0);
      }
      ctx.stroke();
    }
  };
  if (symbol.pattern === 'hatch') diagonal(false);
  if (symbol.pattern === 'crosshatch') {
    diagonal(false);
    diagonal(true);
  }
  if (symbol.pattern === 'dots') {
    ctx.beginPath();
    ctx.arc(size / 4, size / 4, size / 7, 0, Math.PI * 2);
    ctx.arc((3 * size) / 4, (3 * size) / 4, size / 7, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.globalAlpha = 1;
}

export function fillPatternImage(symbol: FillSymbol, pixelRatio: number): ImageData {
  const size = Math.round(PATTERN_SIZE * pixelRatio);
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size;
  const ctx = canvas.getContext('2d')!;
  drawFillPattern(ctx, symbol, size);
  return ctx.getImageData(0, 0, size, size);
}

/** A data URL of a symbol for the legend (an <img>), drawn by the same code as the map's. */
export function legendPointUrl(symbol: PointSymbol): string {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = ICON_SIZE * 2;
  drawPointSymbol(canvas.getContext('2d')!, symbol, ICON_SIZE, ICON_SIZE, ICON_SIZE * 2);
  return canvas.toDataURL();
}

export function legendFillUrl(symbol: FillSymbol): string {
  const canvas = document.createElement('canvas');
  const size = PATTERN_SIZE * 2;
  canvas.width = canvas.height = size * 2;
  const ctx = canvas.getContext('2d')!;
  const pattern = document.createElement('canvas');
  pattern.width = pattern.height = size;
  drawFillPattern(pattern.getContext('2d')!, symbol, size);
  ctx.fillStyle = ctx.createPattern(pattern, 'repeat')!;
  ctx.fillRect(0, 0, size * 2, size * 2);
  ctx.strokeStyle = symbol.color;
  ctx.lineWidth = 3;
  ctx.strokeRect(1.5, 1.5, size * 2 - 3, size * 2 - 3);
  return canvas.toDataURL();
}

/**
 * One canvas with every point icon side by side, and the mapping deck.gl's IconLayer needs.
 * Icons are drawn at 2× so they stay sharp on high-density screens.
 */
export function iconAtlas(icons: { id: string; symbol: PointSymbol }[]): {
  canvas: HTMLCanvasElement;
  mapping: Record<string, { x: number; y: number; width: number; height: number; mask: boolean }>;
} {
  const cell = ICON_SIZE * 2;
  const canvas = document.createElement('canvas');
  canvas.width = cell * icons.length;
  canvas.height = cell;
  const ctx = canvas.getContext('2d')!;
  const mapping: Record<string, { x: number; y: number; width: number; height: number; mask: boolean }> = {};
  icons.forEach(({ id, symbol }, i) => {
    drawPointSymbol(ctx, symbol, i * cell + cell / 2, cell / 2, cell);
    mapping[id] = { x: i * cell, y: 0, width: cell, height: cell, mask: false };
  });
  return { canvas, mapping };
}

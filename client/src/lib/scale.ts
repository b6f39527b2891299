/** A scale bar of a round length (1, 2 or 5 × 10ⁿ metres) that fits in maxWidthPx. */
export function niceScale(metresPerPixel: number, maxWidthPx = 100): { widthPx: number; metres: number } {
  const maxMetres = metresPerPixel * maxWidthPx;
  const pow = 10 ** Math.floor(Math.log10(maxMetres));
  const first = maxMetres / pow;
  const step = first >= 5 ? 5 : first >= 2 ? 2 : 1;
  const metres = step * pow;
  return { widthPx: Math.round(metres / metresPerPixel), metres };
}

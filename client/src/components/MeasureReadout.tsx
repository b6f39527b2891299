/** The result of measuring (distance or area) while the tool is on. */
import { useEffect, useState } from 'react';
import { area as turfArea, length as turfLength, feature } from '@turf/turf';
import { useMapController } from '../map/MapContext';
import { useUiStore } from '../state/stores';
import { useT } from '../i18n/i18n';
import { formatArea, formatDistance } from '../lib/format';
import type { SimpleGeometry } from '../map/MapController';

export function measure(g: SimpleGeometry | null): { length_m?: number; area_m2?: number } {
  if (!g) return {};
  if (g.type === 'LineString' && g.coordinates.length >= 2) return { length_m: turfLength(feature(g), { units: 'kilometers' }) * 1000 };
  if (g.type === 'Polygon' && g.coordinates[0]?.length >= 4) {
    const ring: GeoJSON.LineString = { type: 'LineString', coordinates: g.coordinates[0] };
    return { area_m2: turfArea(feature(g)), length_m: turfLength(feature(ring), { units: 'kilometers' }) * 1000 };
  }
  return {};
}

export function MeasureReadout() {
  const { t, lang } = useT();
  const map = useMapController();
  const tool = useUiStore((s) => s.tool);
  const setTool = useUiStore((s) => s.setTool);
  const [geometry, setGeometry] = useState<SimpleGeometry | null>(null);

  useEffect(() => {
    if (!map) return;
    if (tool === 'none') return;
    setGeometry(null);
    map.startMeasure(tool === 'measure-line' ? 'line' : 'polygon', (g) => setGeometry(g));
    return () => map.stopDrawing();
  }, [tool, map]);

  if (tool === 'none') return null;
  const m = measure(geometry);
  return (
    <div className="measure" role="status" data-testid="measure-readout">
      <p className="hint">{tool === 'measure-line' ? t('tools.measureLineHint') : t('tools.measurePolygonHint')}</p>
      {tool === 'measure-line' && m.length_m !== undefined && (
        <p><span>{t('tools.distance')}</span> <strong data-testid="measure-value">{formatDistance(m.length_m, lang)}</strong></p>
      )}
      {tool === 'measure-polygon' && m.area_m2 !== undefined && (
        <>
          <p><span>{t('tools.area')}</span> <strong data-testid="measure-value">{formatArea(m.area_m2, lang)}</strong></p>
          <p className="hint">{t('tools.distance')} {formatDistance(m.length_m!, lang)}</p>
        </>
      )}
      <button type="button" onClick={() => setTool('none')}>{t('tools.measureEnd')}</button>
    </div>
  );
}

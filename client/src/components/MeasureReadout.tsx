/** The result of measuring (distance or area) while the tool is on. */
import { useEffect, useState } from 'react';
import { useMapController } from '../map/MapContext';
import { useUiStore } from '../state/stores';
import { useT } from '../i18n/i18n';
import { formatArea, formatDistance } from '../lib/format';
import type { SimpleGeometry } from '../map/MapController';
import { measure } from '../lib/measure';

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

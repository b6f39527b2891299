/** Bottom strip: coordinates under the cursor and a scale bar in 米/公里 (m/km). */
import { useMapController } from '../map/MapContext';
import { useUiStore } from '../state/stores';
import { useT } from '../i18n/i18n';
import { formatDistance, formatLngLat } from '../lib/format';
import { niceScale } from '../lib/scale';

export function ScaleBar() {
  const { t, lang } = useT();
  const map = useMapController();
  useUiStore((s) => s.view); // re-render when the view changes
  if (!map) return null;
  const { widthPx, metres } = niceScale(map.metresPerPixel(), 100);
  return (
    <div className="scale" aria-label={t('status.scale')} data-testid="scale-bar">
      <div className="scale-bar" style={{ width: widthPx }} />
      <span>{formatDistance(metres, lang)}</span>
    </div>
  );
}

export function StatusBar() {
  const { t } = useT();
  const pointer = useUiStore((s) => s.pointer);
  const view = useUiStore((s) => s.view);
  const p = pointer ?? view?.center;
  return (
    <div className="statusbar">
      <ScaleBar />
      {p && (
        <span className="coords" title={t('status.coords')} data-testid="coords">
          {formatLngLat(p[0], p[1])}
        </span>
      )}
    </div>
  );
}

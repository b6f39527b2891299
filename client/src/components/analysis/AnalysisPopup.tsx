/**
 * The popup for a clicked analysis feature (a violating structure, a 1 km unit, an uncovered
 * stretch, a suggested site): a MapLibre popup whose content React renders.
 */
import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { findCollection, type EnumProperty } from '../../../../server/collections/registry';
import { useMapController } from '../../map/MapContext';
import { useUiStore } from '../../state/stores';
import { useT } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/catalog';
import { formatLngLat, formatNumber } from '../../lib/format';

const sites = findCollection('demolition_sites')!;
const enumLabel = (property: string, value: unknown, lang: 'zh' | 'en') => {
  const def = sites.properties.find((p) => p.name === property) as EnumProperty | undefined;
  return def?.valueLabels[String(value)]?.[lang] ?? String(value ?? '');
};

function Rows({ rows }: { rows: [string, string][] }) {
  return (
    <dl className="popup-rows">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function PopupContent({ properties: p, lngLat }: { properties: Record<string, unknown>; lngLat: [number, number] }) {
  const { t, lang } = useT();
  const select = useUiStore((s) => s.select);
  const m = (n: unknown, digits = 2) => `${formatNumber(Number(n), lang, digits)} ${t('unit.m')}`;
  const village = (v: unknown) => (v ? String(v) : t('analysis.noVillage'));
  switch (p.layer) {
    case 'violation':
      return (
        <div data-testid="analysis-popup" data-layer="violation">
          <h4>{t('popup.violation')} · {enumLabel('kind', p.kind, lang)}</h4>
          <Rows rows={[
            [t('col.road'), String(p.road_code ?? '')],
            [t('col.stake'), String(p.stake ?? '')],
            [t('popup.distanceToRoad'), m(p.distance_m)],
            [t('popup.limit'), m(p.limit_m, 2)],
            [t('col.village'), village(p.village)],
            [t('col.status'), enumLabel('status', p.status, lang)],
          ]} />
          <button type="button" className="link" onClick={() => select({ collection: 'demolition_sites', id: Number(p.site_id) })}>{t('popup.openFeature')}</button>
        </div>
      );
    case 'unit':
      return (
        <div data-testid="analysis-popup" data-layer="unit">
          <h4>{t('popup.unit')} {String(p.road_code ?? '')} {String(p.stake ?? '')}</h4>
          <Rows rows={[
            [t('col.village'), village(p.village)],
            [t('analysis.length'), m(p.length_m, 1)],
            [t('analysis.compliance'), p.complies === true || p.complies === 'true' ? t('popup.complies') : t('popup.violates')],
          ]} />
        </div>
      );
    case 'uncovered':
      return (
        <div data-testid="analysis-popup" data-layer="uncovered">
          <h4>{t('popup.uncovered')} · {String(p.road_code ?? '')}</h4>
          <Rows rows={[[t('popup.uncoveredLength'), m(p.uncovered_m, 1)]]} />
        </div>
      );
    case 'patrol_unit':
      return (
        <div data-testid="analysis-popup" data-layer="patrol_unit">
          <h4>{t('popup.patrolUnit')} {String(p.road_code ?? '')} {String(p.stake ?? '')}</h4>
          <Rows rows={[
            [t('col.village'), village(p.village)],
            [t('col.status_patrol'), t(`analysis.patrol.status.${String(p.status)}` as MessageKey)],
            [t('col.share_pct'), formatNumber(Number(p.month_share_pct), lang, 1)],
            [t('col.last_patrolled_on'), String(p.last_patrolled_on ?? '—')],
            [t('analysis.patrol.inspectors'), String(p.inspectors || '—')],
          ]} />
        </div>
      );
    case 'suggested_site':
      return (
        <div data-testid="analysis-popup" data-layer="suggested_site">
          <h4>{t('popup.suggested', { rank: p.rank })}</h4>
          <Rows rows={[[t('popup.wouldCover'), m(p.covers_m, 1)], [t('col.position'), formatLngLat(lngLat[0], lngLat[1])]]} />
        </div>
      );
    default:
      return null;
  }
}

export function AnalysisPopup() {
  const map = useMapController();
  const popup = useUiStore((s) => s.popup);
  const setPopup = useUiStore((s) => s.setPopup);
  const [container] = useState(() => document.createElement('div'));
  useEffect(() => {
    if (!map || !popup) return;
    map.showPopup(popup.lngLat, container, () => setPopup(null));
    return () => map.closePopup();
  }, [map, popup, container, setPopup]);
  if (!popup) return null;
  return createPortal(<PopupContent properties={popup.properties} lngLat={popup.lngLat} />, container);
}

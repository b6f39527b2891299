/**
 * Facility coverage: the share of road length within reach of a good garbage pool or bin, per
 * road and village; the uncovered stretches and the suggested new bin sites, listed and on the map.
 */
import { useMemo } from 'react';
import { useAnalysis } from '../../analysis/useAnalysis';
import { facilitiesOverlay } from '../../analysis/model';
import { useUiStore } from '../../state/stores';
import { useMapController } from '../../map/MapContext';
import { useT } from '../../i18n/i18n';
import { formatLngLat, formatNumber } from '../../lib/format';
import { AnalysisForm, DataTable, OverlayLegend, ParamField, ParamInput, RoadsField, ResultState, Stat, centreOf, useOverlay, villageName } from './parts';

export function FacilitiesAnalysis() {
  const { t, lang } = useT();
  const a = useAnalysis('facilities');
  const map = useMapController();
  const setPopup = useUiStore((s) => s.setPopup);
  const overlay = useMemo(() => (a.query.data ? facilitiesOverlay(a.query.data) : null), [a.query.data]);
  useOverlay(overlay);
  const go = (g: GeoJSON.Geometry, properties: Record<string, unknown>, zoom: number) => {
    const at = centreOf(g);
    if (!at || !map) return;
    map.flyTo(at, Math.max(map.map.getZoom(), zoom));
    setPopup({ lngLat: at, properties });
  };
  return (
    <div className="analysis-body" data-testid="analysis-facilities">
      <p className="hint">{t('analysis.facilities.desc')}</p>
      <AnalysisForm a={a}>
        <ParamField a={a} name="distance_m" labelKey="analysis.facilities.distance">
          <ParamInput a={a} name="distance_m" min={0} max={5000} step="any" placeholder="500" />
        </ParamField>
        <ParamField a={a} name="suggest" labelKey="analysis.facilities.suggest">
          <ParamInput a={a} name="suggest" min={0} max={50} step={1} placeholder="5" />
        </ParamField>
        <RoadsField a={a} />
      </AnalysisForm>
      <ResultState a={a}>
        {(r) => (
          <>
            <p className="stated" data-testid="analysis-stated">{t('analysis.facilities.stated', { distance: `${formatNumber(r.parameters.distance_m, lang)} ${t('unit.m')}` })}</p>
            <div className="stats">
              <Stat labelText={t('analysis.coverage')} value={formatNumber(r.total.covered_pct, lang, 2)} unit="%" testid="stat-covered_pct" tone={r.total.covered_pct < 100 ? 'bad' : 'good'} />
              <Stat labelText={t('analysis.covered')} value={formatNumber(r.total.covered_km, lang, 3)} unit={t('unit.km')} sub={t('analysis.ofLength', { length: formatNumber(r.total.length_km, lang, 3) })} testid="stat-covered_km" />
              <Stat labelText={t('analysis.suggestedCount')} value={formatNumber(r.suggested_sites.length, lang, 0)} unit={lang === 'zh' ? '处' : undefined} testid="stat-suggested" />
            </div>
            <OverlayLegend entries={['uncovered', 'suggested']} />
            <DataTable
              testid="facilities-uncovered"
              caption={t('analysis.uncoveredList')}
              empty={t('analysis.noUncovered')}
              rows={r.uncovered.features}
              rowKey={(_x, i) => i}
              onRowClick={(f) => go(f.geometry, { layer: 'uncovered', ...f.properties }, 14)}
              columns={[
                { key: 'road_code', header: t('col.road'), value: (f) => f.properties.road_code },
                { key: 'uncovered_m', header: t('col.uncovered_m'), value: (f) => f.properties.uncovered_m, digits: 1 },
              ]}
            />
            <DataTable
              testid="facilities-sites"
              caption={t('analysis.suggestedList')}
              empty={t('analysis.noSuggested')}
              rows={r.suggested_sites}
              rowKey={(s) => s.rank}
              onRowClick={(s) => go({ type: 'Point', coordinates: [s.lon, s.lat] }, { layer: 'suggested_site', rank: s.rank, covers_m: s.covers_m }, 15)}
              columns={[
                { key: 'rank', header: t('col.rank'), value: (s) => s.rank, digits: 0 },
                { key: 'covers_m', header: t('col.covers_m'), value: (s) => s.covers_m, digits: 1 },
                { key: 'position', header: t('col.position'), value: (s) => formatLngLat(s.lon, s.lat) },
              ]}
            />
            <DataTable
              testid="facilities-roads"
              caption={t('analysis.byRoad')}
              rows={r.roads}
              rowKey={(x) => x.code}
              tall
              columns={[
                { key: 'code', header: t('col.road'), value: (x) => x.code },
                { key: 'length_km', header: t('col.length_km'), value: (x) => x.length_km, digits: 3 },
                { key: 'covered_km', header: t('col.covered_km'), value: (x) => x.covered_km, digits: 3 },
                { key: 'covered_pct', header: t('col.covered_pct'), value: (x) => x.covered_pct, digits: 2 },
              ]}
            />
            <DataTable
              testid="facilities-villages"
              caption={t('analysis.byVillage')}
              rows={r.villages}
              rowKey={(x) => x.name ?? '-'}
              tall
              columns={[
                { key: 'name', header: t('col.village'), value: (x) => villageName(x.name, t) },
                { key: 'length_km', header: t('col.length_km'), value: (x) => x.length_km, digits: 3 },
                { key: 'covered_km', header: t('col.covered_km'), value: (x) => x.covered_km, digits: 3 },
                { key: 'covered_pct', header: t('col.covered_pct'), value: (x) => x.covered_pct, digits: 2 },
              ]}
            />
          </>
        )}
      </ResultState>
    </div>
  );
}


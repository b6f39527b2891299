/**
 * Setback compliance: parameters (distance, reference line, roads, village), the totals, tables
 * per road and per village, the list of violating structures, and on the map the setback band,
 * units coloured by compliance and rings around the violating structures.
 */
import { useMemo } from 'react';
import { findCollection, ROAD_CLASSES, type EnumProperty } from '../../../../server/collections/registry';
import { useAnalysis, useAnalysisQuery } from '../../analysis/useAnalysis';
import { analysisPath, checkParams, numbered, type SetbackResult } from '../../analysis/model';
import { useAnalysisStore, useUiStore } from '../../state/stores';
import { useMapController } from '../../map/MapContext';
import { useT } from '../../i18n/i18n';
import { formatNumber, label } from '../../lib/format';
import { AnalysisForm, DataTable, OverlayLegend, ParamField, ParamInput, RoadsField, ResultState, Stat, VillageSelect, centreOf, paramId, useOverlay, villageName } from './parts';

const sites = findCollection('demolition_sites')!;
const enumLabel = (property: string, value: string, lang: 'zh' | 'en') => {
  const def = sites.properties.find((p) => p.name === property) as EnumProperty | undefined;
  return def?.valueLabels[value]?.[lang] ?? value;
};

export function SetbackAnalysis() {
  const { t, lang } = useT();
  const a = useAnalysis('setback');
  const map = useMapController();
  const select = useUiStore((s) => s.select);
  const setPopup = useUiStore((s) => s.setPopup);
  const showOnMap = useAnalysisStore((s) => s.showOnMap);
  // The map's features come from the same analysis as GeoJSON (band, units, violations).
  const ok = Object.keys(checkParams('setback', a.params)).length === 0;
  const geo = useAnalysisQuery<GeoJSON.FeatureCollection>(analysisPath('setback', a.params, 'geojson'), ok && showOnMap);
  const overlay = useMemo(() => (geo.data ? numbered(geo.data) : null), [geo.data]);
  useOverlay(overlay);

  const show = (v: SetbackResult['violations'][number]) => {
    const f = overlay?.features.find((x) => x.properties?.layer === 'violation' && x.properties.site_id === v.site_id);
    const at = f ? centreOf(f.geometry) : null;
    if (at) {
      map?.flyTo(at, Math.max(map.map.getZoom(), 16));
      setPopup({ lngLat: at, properties: { ...f!.properties } });
    }
    select({ collection: 'demolition_sites', id: v.site_id });
  };

  const stated = (r: SetbackResult) => {
    const p = r.parameters;
    const m = t('unit.m');
    const distance = p.distance_m !== null
      ? `${formatNumber(p.distance_m, lang)} ${m}`
      : t('analysis.setback.byClass', {
        rule: Object.keys(ROAD_CLASSES).filter((cls) => p.distance_m_by_class?.[cls] !== undefined)
          .map((cls) => `${label(ROAD_CLASSES[cls as keyof typeof ROAD_CLASSES], lang)} ${formatNumber(p.distance_m_by_class![cls], lang)} ${m}`).join(lang === 'zh' ? '，' : ', '),
      });
    return t('analysis.setback.stated', {
      distance,
      reference: t(`analysis.reference.${p.reference}`),
      statuses: p.statuses.map((s) => enumLabel('status', s, lang)).join(lang === 'zh' ? '、' : ', '),
    });
  };

  return (
    <div className="analysis-body" data-testid="analysis-setback">
      <p className="hint">{t('analysis.setback.desc')}</p>
      <AnalysisForm a={a}>
        <ParamField a={a} name="distance_m" labelKey="analysis.setback.distance" hint={t('analysis.setback.distanceHint')}>
          <ParamInput a={a} name="distance_m" min={0} max={1000} step="any" placeholder="10" />
        </ParamField>
        <ParamField a={a} name="reference" labelKey="analysis.setback.reference">
          <select id={paramId('setback', 'reference')} value={a.draft.reference || 'centerline'} onChange={(e) => a.set('reference', e.target.value)}>
            <option value="centerline">{t('analysis.reference.centerline')}</option>
            <option value="edge">{t('analysis.reference.edge')}</option>
          </select>
        </ParamField>
        <RoadsField a={a} />
        <ParamField a={a} name="village" labelKey="analysis.village">
          <VillageSelect a={a} />
        </ParamField>
      </AnalysisForm>
      <ResultState a={a}>
        {(r) => (
          <>
            <p className="stated" data-testid="analysis-stated">{stated(r)}</p>
            {r.roads_without_width && r.roads_without_width.length > 0 && (
              <p className="hint warn">{t('analysis.setback.noWidth', { roads: r.roads_without_width.join(', ') })}</p>
            )}
            <div className="stats" data-testid="setback-total">
              <Stat labelText={t('analysis.compliance')} value={formatNumber(r.total.compliance_pct, lang, 2)} unit="%" testid="stat-compliance_pct" tone={r.total.compliance_pct < 100 ? 'bad' : 'good'} />
              <Stat labelText={t('analysis.violations')} value={formatNumber(r.total.violations, lang, 0)} unit={lang === 'zh' ? '处' : undefined} testid="stat-violations" />
              <Stat labelText={t('analysis.violatingUnits')} value={formatNumber(r.total.violating_units, lang, 0)} sub={t('analysis.ofUnits', { count: r.total.units })} testid="stat-units" />
              <Stat labelText={t('analysis.length')} value={formatNumber(r.total.length_km, lang, 3)} unit={t('unit.km')} testid="stat-length_km" />
            </div>
            <OverlayLegend entries={['band', 'complies', 'violates', 'violation']} />
            <DataTable
              testid="setback-roads"
              caption={t('analysis.byRoad')}
              rows={r.roads}
              rowKey={(x) => x.code}
              columns={[
                { key: 'code', header: t('col.road'), value: (x) => x.code, render: (x) => <span title={x.name}>{x.code}</span> },
                { key: 'length_km', header: t('col.length_km'), value: (x) => x.length_km, digits: 3 },
                { key: 'units', header: t('col.units'), value: (x) => x.units, digits: 0 },
                { key: 'violating_units', header: t('col.violating_units'), value: (x) => x.violating_units, digits: 0 },
                { key: 'compliance_pct', header: t('col.compliance_pct'), value: (x) => x.compliance_pct, digits: 2 },
                { key: 'violations', header: t('col.violations'), value: (x) => x.violations, digits: 0 },
              ]}
            />
            <DataTable
              testid="setback-villages"
              caption={t('analysis.byVillage')}
              rows={r.villages}
              rowKey={(x) => x.name ?? '-'}
              columns={[
                { key: 'name', header: t('col.village'), value: (x) => villageName(x.name, t) },
                { key: 'units', header: t('col.units'), value: (x) => x.units, digits: 0 },
                { key: 'violating_units', header: t('col.violating_units'), value: (x) => x.violating_units, digits: 0 },
                { key: 'compliance_pct', header: t('col.compliance_pct'), value: (x) => x.compliance_pct, digits: 2 },
              ]}
            />
            <DataTable
              testid="setback-violations"
              caption={t('analysis.violationList')}
              empty={t('analysis.noViolations')}
              rows={r.violations}
              rowKey={(x) => x.site_id}
              onRowClick={show}
              tall
              columns={[
                { key: 'kind', header: t('col.kind'), value: (x) => enumLabel('kind', x.kind, lang) },
                { key: 'road_code', header: t('col.road'), value: (x) => x.road_code },
                { key: 'stake', header: t('col.stake'), value: (x) => x.stake },
                { key: 'distance_m', header: t('col.distance_m'), value: (x) => x.distance_m, digits: 2 },
                { key: 'limit_m', header: t('col.limit_m'), value: (x) => x.limit_m, digits: 2 },
                { key: 'village', header: t('col.village'), value: (x) => villageName(x.village, t) },
                { key: 'status', header: t('col.status'), value: (x) => enumLabel('status', x.status, lang) },
              ]}
            />
            {r.violations.length > 0 && <p className="hint">{t('analysis.rowHint')}</p>}
          </>
        )}
      </ResultState>
    </div>
  );
}

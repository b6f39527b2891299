/**
 * Patrol coverage for a month: the 1 km road units a patrol covered this month, those patrolled
 * only before and those never patrolled, on the map (coloured, with the month's tracks) and as
 * lists per village and per unit; the inspectors' patrols of the month.
 */
import { useMemo, useState } from 'react';
import { useAnalysis } from '../../analysis/useAnalysis';
import { patrolOverlay, shanghaiMonth, type PatrolStatus, type PatrolUnit } from '../../analysis/model';
import { useUiStore } from '../../state/stores';
import { useMapController } from '../../map/MapContext';
import { useT } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/catalog';
import { formatNumber } from '../../lib/format';
import { AnalysisForm, DataTable, OverlayLegend, ParamField, ParamInput, RoadsField, ResultState, Stat, centreOf, useOverlay, villageName } from './parts';

export function PatrolStatusBadge({ status }: { status: PatrolStatus }) {
  const { t } = useT();
  // Shape as well as colour: ● this month, ◆ before, ▲ never.
  const mark = status === 'covered' ? '●' : status === 'earlier' ? '◆' : '▲';
  const grade = status === 'covered' ? 'excellent' : status === 'earlier' ? 'qualified' : 'unqualified';
  return <span className={`grade ${grade}`}><span aria-hidden="true">{mark}</span> {t(`analysis.patrol.status.${status}` as MessageKey)}</span>;
}

export function PatrolCoverageAnalysis() {
  const { t, lang } = useT();
  const a = useAnalysis('patrol-coverage');
  const map = useMapController();
  const setPopup = useUiStore((s) => s.setPopup);
  const [listed, setListed] = useState<'never' | 'notThisMonth'>('never');
  const overlay = useMemo(() => (a.query.data ? patrolOverlay(a.query.data) : null), [a.query.data]);
  useOverlay(overlay);
  const go = (u: PatrolUnit) => {
    const at = centreOf(u.geometry);
    if (!at || !map) return;
    map.flyTo(at, Math.max(map.map.getZoom(), 14));
    const { geometry: _g, inspectors, ...props } = u;
    setPopup({ lngLat: at, properties: { layer: 'patrol_unit', ...props, inspectors: inspectors.join('、') } });
  };
  const km = t('unit.km');
  return (
    <div className="analysis-body" data-testid="analysis-patrol-coverage">
      <p className="hint">{t('analysis.patrol-coverage.desc', { buffer: a.query.data?.parameters.buffer_m ?? 30, share: Math.round(100 * (a.query.data?.parameters.min_share ?? 0.8)) })}</p>
      <AnalysisForm a={a}>
        <ParamField a={a} name="month" labelKey="analysis.patrol.month">
          <ParamInput a={a} name="month" type="month" max={shanghaiMonth(new Date())} />
        </ParamField>
        <ParamField a={a} name="buffer_m" labelKey="analysis.patrol.buffer">
          <ParamInput a={a} name="buffer_m" min={0} max={200} step="any" placeholder="30" />
        </ParamField>
        <RoadsField a={a} />
      </AnalysisForm>
      <ResultState a={a}>
        {(r) => {
          const p = r.parameters;
          const units = listed === 'never' ? r.units.filter((u) => u.status === 'never') : r.units.filter((u) => u.status !== 'covered');
          return (
            <>
              <p className="stated" data-testid="analysis-stated">
                {t('analysis.patrol.stated', { month: p.month, buffer: `${formatNumber(p.buffer_m, lang)} ${t('unit.m')}`, share: formatNumber(100 * p.min_share, lang, 0) })}
              </p>
              <div className="stats" data-testid="patrol-total">
                <Stat labelText={t('analysis.patrol.covered')} value={formatNumber(r.total.covered_km, lang, 3)} unit={km} sub={t('analysis.unitsCount', { count: r.total.covered_units })} testid="stat-covered" tone="good" />
                <Stat labelText={t('analysis.patrol.earlier')} value={formatNumber(r.total.earlier_units, lang, 0)} sub={`${formatNumber(r.total.covered_pct, lang, 1)} % ${t('analysis.patrol.covered')}`} testid="stat-earlier" />
                <Stat labelText={t('analysis.patrol.never')} value={formatNumber(r.total.never_km, lang, 3)} unit={km} sub={t('analysis.unitsCount', { count: r.total.never_units })} testid="stat-never" tone={r.total.never_units ? 'bad' : undefined} />
                <Stat labelText={t('analysis.patrol.patrols')} value={formatNumber(r.total.patrols, lang, 0)} testid="stat-patrols" />
              </div>
              <OverlayLegend entries={['patrolCovered', 'patrolEarlier', 'patrolNever', 'patrolTrack']} />
              <DataTable
                testid="patrol-villages"
                caption={t('analysis.patrol.byVillage')}
                rows={r.villages}
                rowKey={(x) => x.village ?? '-'}
                tall
                columns={[
                  { key: 'village', header: t('col.village'), value: (x) => villageName(x.village, t) },
                  { key: 'units', header: t('col.units'), value: (x) => x.units, digits: 0 },
                  { key: 'covered_units', header: t('col.covered_units'), value: (x) => x.covered_units, digits: 0 },
                  { key: 'covered_pct', header: t('col.covered_pct'), value: (x) => x.covered_pct, digits: 1 },
                  { key: 'never_units', header: t('col.never_units'), value: (x) => x.never_units, digits: 0 },
                  { key: 'never_km', header: t('col.never_km'), value: (x) => x.never_km, digits: 3 },
                ]}
              />
              <div className="segmented" role="radiogroup" data-testid="patrol-listed">
                {(['never', 'notThisMonth'] as const).map((k) => (
                  <label key={k}>
                    <input type="radio" name="patrol-listed" value={k} checked={listed === k} onChange={() => setListed(k)} />
                    {t(k === 'never' ? 'analysis.patrol.neverList' : 'analysis.patrol.notThisMonth')}
                  </label>
                ))}
              </div>
              <DataTable
                testid="patrol-units"
                caption={t(listed === 'never' ? 'analysis.patrol.neverList' : 'analysis.patrol.notThisMonth')}
                empty={t(listed === 'never' ? 'analysis.patrol.noNever' : 'analysis.patrol.allCovered')}
                rows={units}
                rowKey={(u) => u.unit_id}
                onRowClick={go}
                tall
                columns={[
                  { key: 'village', header: t('col.village'), value: (u) => villageName(u.village, t) },
                  { key: 'road_code', header: t('col.road'), value: (u) => u.road_code },
                  { key: 'stake', header: t('col.stake'), value: (u) => u.stake },
                  { key: 'status', header: t('col.status_patrol'), value: (u) => u.status, render: (u) => <PatrolStatusBadge status={u.status} /> },
                  { key: 'month_share_pct', header: t('col.share_pct'), value: (u) => u.month_share_pct, digits: 1 },
                  { key: 'last_patrolled_on', header: t('col.last_patrolled_on'), value: (u) => u.last_patrolled_on ?? '—' },
                ]}
              />
              <DataTable
                testid="patrol-inspectors"
                caption={t('analysis.patrol.inspectors')}
                empty={t('analysis.patrol.noPatrols')}
                rows={r.inspectors}
                rowKey={(x) => x.inspector}
                columns={[
                  { key: 'inspector', header: t('col.inspector'), value: (x) => x.inspector },
                  { key: 'patrols', header: t('col.patrols'), value: (x) => x.patrols, digits: 0 },
                  { key: 'length_km', header: t('col.length_km'), value: (x) => x.length_km, digits: 3 },
                ]}
              />
            </>
          );
        }}
      </ResultState>
    </div>
  );
}

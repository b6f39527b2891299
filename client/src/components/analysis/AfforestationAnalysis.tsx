/**
 * Afforestation progress: planned vs planted 亩 by village, year or species (or every group),
 * completion, and the plots whose reported area differs from their mapped area.
 */
import { useMemo, useState } from 'react';
import { useAnalysis } from '../../analysis/useAnalysis';
import { sumGroups, type AfforestationResult } from '../../analysis/model';
import { useAllItems } from '../../api/queries';
import { useUiStore } from '../../state/stores';
import { useMapController } from '../../map/MapContext';
import { useT } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/catalog';
import { formatNumber } from '../../lib/format';
import { bbox as turfBbox } from '@turf/turf';
import { AnalysisForm, DataTable, ParamField, ResultState, Stat, VillageSelect, paramId, villageName } from './parts';

type GroupBy = 'village' | 'year' | 'species' | 'detail';

interface Row {
  key: string;
  village?: string | null;
  year?: number;
  species?: string | null;
  plots: number;
  planned_mu: number;
  planted_mu: number;
  completion_pct: number;
}

export function AfforestationAnalysis() {
  const { t, lang } = useT();
  const a = useAnalysis('afforestation');
  const map = useMapController();
  const select = useUiStore((s) => s.select);
  const plots = useAllItems('afforestation_plots', true);
  const [groupBy, setGroupBy] = useState<GroupBy>('village');
  const choices = useMemo(() => {
    const fs = plots.data?.features ?? [];
    return {
      years: [...new Set(fs.map((f) => Number(f.properties.year)).filter(Number.isFinite))].sort((x, y) => y - x),
      species: [...new Set(fs.map((f) => String(f.properties.species ?? '')).filter(Boolean))].sort((x, y) => x.localeCompare(y, 'zh')),
    };
  }, [plots.data]);
  const openPlot = (id: number) => {
    const f = plots.data?.features.find((x) => x.id === id);
    if (f && map) map.fitBounds(turfBbox(f.geometry) as [number, number, number, number], 16);
    select({ collection: 'afforestation_plots', id });
  };
  const mu = t('unit.mu');
  return (
    <div className="analysis-body" data-testid="analysis-afforestation">
      <p className="hint">{t('analysis.afforestation.desc')}</p>
      <AnalysisForm a={a}>
        <ParamField a={a} name="year" labelKey="analysis.aff.year">
          <select id={paramId('afforestation', 'year')} value={a.draft.year ?? ''} onChange={(e) => a.set('year', e.target.value)}>
            <option value="">{t('analysis.aff.yearAll')}</option>
            {choices.years.map((y) => <option key={y} value={y}>{y}</option>)}
          </select>
        </ParamField>
        <ParamField a={a} name="village" labelKey="analysis.village">
          <VillageSelect a={a} />
        </ParamField>
        <ParamField a={a} name="species" labelKey="analysis.aff.species">
          <select id={paramId('afforestation', 'species')} value={a.draft.species ?? ''} onChange={(e) => a.set('species', e.target.value)}>
            <option value="">{t('analysis.aff.speciesAll')}</option>
            {choices.species.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </ParamField>
      </AnalysisForm>
      <ResultState a={a}>
        {(r) => {
          const rows: Row[] = groupBy === 'detail'
            ? r.groups.map((g) => ({ key: `${g.village ?? ''}/${g.year}/${g.species ?? ''}`, ...g }))
            : sumGroups(r.groups, groupBy).map((g) => ({ ...g, key: String(g.key ?? '') }));
          const keyHeader = groupBy === 'year' ? t('col.year') : groupBy === 'species' ? t('col.species') : t('col.village');
          return (
            <>
              <div className="stats" data-testid="afforestation-total">
                <Stat labelText={t('analysis.aff.plots')} value={formatNumber(r.total.plots, lang, 0)} testid="stat-plots" />
                <Stat labelText={t('analysis.aff.planned')} value={formatNumber(r.total.planned_mu, lang, 1)} unit={mu} testid="stat-planned_mu" />
                <Stat labelText={t('analysis.aff.planted')} value={formatNumber(r.total.planted_mu, lang, 1)} unit={mu} testid="stat-planted_mu" />
                <Stat labelText={t('analysis.aff.completion')} value={formatNumber(r.total.completion_pct, lang, 1)} unit="%" testid="stat-completion_pct" />
              </div>
              <div className="segmented" role="radiogroup" aria-label={t('analysis.aff.groupBy')} data-testid="afforestation-group-by">
                <span className="hint">{t('analysis.aff.groupBy')}</span>
                {(['village', 'year', 'species', 'detail'] as const).map((g) => (
                  <label key={g}>
                    <input type="radio" name="aff-group" value={g} checked={groupBy === g} onChange={() => setGroupBy(g)} />
                    {t(`analysis.aff.group.${g}` as MessageKey)}
                  </label>
                ))}
              </div>
              <DataTable
                testid="afforestation-groups"
                caption={t(`analysis.aff.group.${groupBy}` as MessageKey)}
                rows={rows}
                rowKey={(x) => x.key}
                tall
                columns={[
                  ...(groupBy === 'detail'
                    ? [
                      { key: 'village', header: t('col.village'), value: (x: Row) => villageName(x.village, t) },
                      { key: 'year', header: t('col.year'), value: (x: Row) => String(x.year) },
                      { key: 'species', header: t('col.species'), value: (x: Row) => x.species ?? '—' },
                    ]
                    : [{ key: 'key', header: keyHeader, value: (x: Row) => (groupBy === 'village' ? villageName(x.key || null, t) : x.key || '—') }]),
                  { key: 'plots', header: t('col.plots'), value: (x) => x.plots, digits: 0 },
                  { key: 'planned_mu', header: t('col.planned_mu'), value: (x) => x.planned_mu, digits: 1 },
                  { key: 'planted_mu', header: t('col.planted_mu'), value: (x) => x.planted_mu, digits: 1 },
                  { key: 'completion_pct', header: t('col.completion_pct'), value: (x) => x.completion_pct, digits: 1 },
                ]}
              />
              <SurvivalPicture r={r} onOpen={openPlot} />
              <DataTable
                testid="afforestation-mismatches"
                caption={t('analysis.aff.mismatches', { threshold: r.parameters.mismatch_threshold_pct })}
                empty={t('analysis.aff.noMismatch')}
                rows={r.area_mismatches}
                rowKey={(x) => x.id}
                onRowClick={(x) => openPlot(x.id)}
                columns={[
                  { key: 'plot_code', header: t('col.plot_code'), value: (x) => x.plot_code },
                  { key: 'village', header: t('col.village'), value: (x) => villageName(x.village, t) },
                  { key: 'planned_mu', header: t('col.planned_mu'), value: (x) => x.planned_mu, digits: 1 },
                  { key: 'area_mu', header: t('col.area_mu'), value: (x) => x.area_mu, digits: 1 },
                  { key: 'difference_pct', header: t('col.difference_pct'), value: (x) => x.difference_pct, digits: 1 },
                ]}
              />
            </>
          );
        }}
      </ResultState>
    </div>
  );
}

/** The survival picture: plots and 亩 by the outcome of their latest check, and those checks. */
function SurvivalPicture({ r, onOpen }: { r: AfforestationResult; onOpen: (id: number) => void }) {
  const { t, lang } = useT();
  const s = r.survival;
  const rule = r.parameters.survival_rule;
  return (
    <section data-testid="afforestation-survival">
      <h4>{t('analysis.aff.survival')}</h4>
      <p className="hint">{t('greening.rule', { pass: rule.pass_min_pct, gapFrom: rule.replant_max_pct + 1, gapTo: rule.pass_min_pct - 1, replant: rule.replant_max_pct })}</p>
      <div className="stats">
        <Stat labelText={t('analysis.aff.checkedPlots')} value={formatNumber(s.checked_plots, lang, 0)} testid="stat-checked_plots" />
        {(['pass', 'gap_replant', 'replant'] as const).map((o) => (
          <Stat key={o} labelText={t(`greening.outcome.${o}` as MessageKey)} value={formatNumber(s.by_outcome[o].plots, lang, 0)}
            sub={`${formatNumber(s.by_outcome[o].planted_mu, lang, 1)} ${t('unit.mu')}`} testid={`stat-survival-${o}`} tone={o === 'pass' ? 'good' : s.by_outcome[o].plots ? 'bad' : undefined} />
        ))}
      </div>
      <DataTable
        testid="afforestation-latest-checks"
        caption={t('analysis.aff.latestChecks')}
        empty={t('analysis.aff.noChecks')}
        rows={s.latest_checks}
        rowKey={(x) => x.plot_id}
        onRowClick={(x) => onOpen(x.plot_id)}
        tall
        columns={[
          { key: 'plot_code', header: t('col.plot_code'), value: (x) => x.plot_code },
          { key: 'village', header: t('col.village'), value: (x) => villageName(x.village, t) },
          { key: 'checked_on', header: t('col.checked_on'), value: (x) => x.checked_on },
          { key: 'survival_pct', header: t('col.survival_pct'), value: (x) => x.survival_pct, digits: 1 },
          { key: 'outcome', header: t('col.outcome'), value: (x) => t(`greening.outcome.${x.outcome}` as MessageKey) },
          { key: 'planted_mu', header: t('col.planted_mu'), value: (x) => x.planted_mu, digits: 1 },
        ]}
      />
    </section>
  );
}

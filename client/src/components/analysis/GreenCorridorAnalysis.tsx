/** Green corridor: per road and side, the share of length with an afforestation plot nearby. */
import { useAnalysis } from '../../analysis/useAnalysis';
import { useT } from '../../i18n/i18n';
import { formatNumber } from '../../lib/format';
import { AnalysisForm, DataTable, ParamField, ParamInput, RoadsField, ResultState } from './parts';

/** A percentage as a number and a bar (the bar is decoration: the number carries the value). */
function PctBar({ pct, lang }: { pct: number; lang: 'zh' | 'en' }) {
  return (
    <span className="pct-bar">
      <span className="bar" aria-hidden="true"><span style={{ width: `${Math.max(0, Math.min(100, pct))}%` }} /></span>
      <span className="num">{formatNumber(pct, lang, 2)}</span>
    </span>
  );
}

export function GreenCorridorAnalysis() {
  const { t, lang } = useT();
  const a = useAnalysis('green-corridor');
  return (
    <div className="analysis-body" data-testid="analysis-green-corridor">
      <p className="hint">{t('analysis.green-corridor.desc')}</p>
      <AnalysisForm a={a}>
        <ParamField a={a} name="distance_m" labelKey="analysis.green.distance">
          <ParamInput a={a} name="distance_m" min={0} max={1000} step="any" placeholder="50" />
        </ParamField>
        <RoadsField a={a} />
      </AnalysisForm>
      <ResultState a={a}>
        {(r) => (
          <>
            <p className="stated" data-testid="analysis-stated">{t('analysis.green.stated', { distance: `${formatNumber(r.parameters.distance_m, lang)} ${t('unit.m')}` })}</p>
            <DataTable
              testid="green-roads"
              caption={t('analysis.byRoad')}
              rows={r.roads}
              rowKey={(x) => x.code}
              tall
              columns={[
                { key: 'code', header: t('col.road'), value: (x) => x.code },
                { key: 'length_km', header: t('col.length_km'), value: (x) => x.length_km, digits: 3 },
                { key: 'left_pct', header: t('col.left_pct'), value: (x) => x.left.covered_pct, render: (x) => <PctBar pct={x.left.covered_pct} lang={lang} /> },
                { key: 'right_pct', header: t('col.right_pct'), value: (x) => x.right.covered_pct, render: (x) => <PctBar pct={x.right.covered_pct} lang={lang} /> },
              ]}
            />
          </>
        )}
      </ResultState>
    </div>
  );
}

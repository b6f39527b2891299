/** The village ranking (红黑榜) of a month: red and black lists, every village's scores and the figures behind them. */
import { useAnalysis } from '../../analysis/useAnalysis';
import { analysisPath, shanghaiMonth, type RankingPart, type RankingResult, type RankingVillage } from '../../analysis/model';
import { useT } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/catalog';
import { formatNumber } from '../../lib/format';
import { AnalysisForm, DataTable, ParamField, ParamInput, ResultState } from './parts';

const PARTS: RankingPart[] = ['corridor', 'notices', 'repeats', 'setback'];

function Lists({ r }: { r: RankingResult }) {
  const { t, lang } = useT();
  const list = (which: 'red' | 'black') => (
    <section className={`ranking-list ${which}`} data-testid={`ranking-${which}`}>
      <h4>{t(`ranking.${which}` as MessageKey)}</h4>
      {r[which].length === 0 ? <p className="hint">{t('ranking.none')}</p> : (
        <ol>
          {r[which].map((v) => (
            <li key={v.village} data-village={v.village}>
              <span className="ranking-rank">{t('ranking.rankN', { rank: v.rank })}</span> {v.village}{' '}
              <strong>{formatNumber(v.total, lang, 2)}</strong> {t('ranking.points')}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
  return <div className="ranking-lists">{list('red')}{list('black')}</div>;
}

export function RankingAnalysis() {
  const { t } = useT();
  const a = useAnalysis('ranking');
  return (
    <div className="analysis-body" data-testid="analysis-ranking">
      <p className="hint">{t('analysis.ranking.desc')}</p>
      <AnalysisForm a={a}>
        <ParamField a={a} name="month" labelKey="analysis.corridor.month">
          <ParamInput a={a} name="month" type="month" max={shanghaiMonth(new Date())} />
        </ParamField>
      </AnalysisForm>
      <div className="analysis-actions downloads">
        <a className="button-link" href={analysisPath('ranking', a.params, 'pdf')} download data-testid="ranking-pdf">{t('ranking.pdf')}</a>
        <a className="button-link" href={analysisPath('ranking', a.params, 'xlsx')} download data-testid="ranking-xlsx">{t('ranking.xlsx')}</a>
      </div>
      <ResultState a={a}>
        {(r) => (
          <>
            <p className="stated" data-testid="analysis-stated">
              {t('ranking.stated', { month: r.parameters.month, weights: PARTS.map((p) => `${t(`ranking.part.${p}` as MessageKey)} ${r.parameters.weights[p]}`).join(t('ranking.sep')), red: r.parameters.red_list, black: r.parameters.black_list })}
            </p>
            <Lists r={r} />
            <DataTable<RankingVillage>
              testid="ranking-villages"
              caption={t('ranking.table')}
              rows={r.villages}
              rowKey={(v) => v.village}
              columns={[
                { key: 'rank', header: t('ranking.col.rank'), value: (v) => v.rank, digits: 0 },
                { key: 'village', header: t('col.village'), value: (v) => v.village },
                { key: 'list', header: t('ranking.col.list'), value: (v) => (v.list ? t(`ranking.${v.list}` as MessageKey) : '') },
                { key: 'total', header: t('ranking.col.total'), value: (v) => v.total, digits: 2 },
                ...PARTS.map((p) => ({ key: `score_${p}`, header: t(`ranking.part.${p}` as MessageKey), value: (v: RankingVillage) => v.scores[p], digits: 2 })),
                { key: 'excellent_km', header: t('col.excellent_km'), value: (v) => v.excellent_km, digits: 3 },
                { key: 'qualified_km', header: t('col.qualified_km'), value: (v) => v.qualified_km, digits: 3 },
                { key: 'unqualified_km', header: t('col.unqualified_km'), value: (v) => v.unqualified_km, digits: 3 },
                { key: 'notices', header: t('ranking.col.notices'), value: (v) => v.notices, digits: 0 },
                { key: 'open_notices', header: t('ranking.col.open'), value: (v) => v.open_notices, digits: 0 },
                { key: 'overdue_notices', header: t('ranking.col.overdue'), value: (v) => v.overdue_notices, digits: 0 },
                { key: 'repeat_findings', header: t('ranking.col.repeats'), value: (v) => v.repeat_findings, digits: 0 },
                { key: 'repeats_per_km', header: t('ranking.col.repeatsPerKm'), value: (v) => v.repeats_per_km, digits: 4 },
                { key: 'setback_units', header: t('col.units'), value: (v) => v.setback_units, digits: 0 },
                { key: 'violating_units', header: t('col.violating_units'), value: (v) => v.violating_units, digits: 0 },
                { key: 'reward_yuan', header: t('col.reward_yuan'), value: (v) => v.reward_yuan, digits: 2 },
              ]}
            />
            <details className="ranking-rules">
              <summary>{t('ranking.rules')}</summary>
              <ul>{PARTS.map((p) => <li key={p}><strong>{t(`ranking.part.${p}` as MessageKey)}</strong>: {r.parameters[p].rule}</li>)}<li>{r.parameters.total}</li></ul>
            </details>
          </>
        )}
      </ResultState>
    </div>
  );
}


/**
 * Corridor cleanliness for one month: each 1 km unit's open garbage points and grade, and the
 * village reward ledger (excellent km × reward, unqualified km × penalty).
 */
import { useAnalysis } from '../../analysis/useAnalysis';
import { gradeSummary, shanghaiMonth, type CorridorResult, type Grade, type LedgerRow } from '../../analysis/model';
import { useT } from '../../i18n/i18n';
import { formatNumber } from '../../lib/format';
import { AnalysisForm, CorridorWidthField, DataTable, moneyColumns, ParamField, ParamInput, RoadsField, ResultState, Stat, villageName, type Column } from './parts';
import type { MessageKey } from '../../i18n/catalog';

export function GradeBadge({ grade }: { grade: Grade }) {
  const { t } = useT();
  // Shape as well as colour: ● excellent, ◆ qualified, ▲ unqualified.
  const mark = grade === 'excellent' ? '●' : grade === 'qualified' ? '◆' : '▲';
  return <span className={`grade ${grade}`}><span aria-hidden="true">{mark}</span> {t(`grade.${grade}` as MessageKey)}</span>;
}

export function ledgerColumns(t: (k: MessageKey) => string): Column<LedgerRow>[] {
  return [
    { key: 'village', header: t('col.village'), value: (x) => villageName(x.village, t) },
    { key: 'excellent_km', header: t('col.excellent_km'), value: (x) => x.excellent_km, digits: 3 },
    { key: 'qualified_km', header: t('col.qualified_km'), value: (x) => x.qualified_km, digits: 3 },
    { key: 'unqualified_km', header: t('col.unqualified_km'), value: (x) => x.unqualified_km, digits: 3 },
    ...moneyColumns<LedgerRow>(t),
  ];
}


const sum = (rows: Record<string, unknown>[], key: string, digits: number) => Math.round(rows.reduce((s, r) => s + Number(r[key] ?? 0), 0) * 10 ** digits) / 10 ** digits;

export function CorridorAnalysis() {
  const { t, lang } = useT();
  const a = useAnalysis('corridor');
  const stated = (r: CorridorResult) => {
    const p = r.parameters;
    return t('analysis.corridor.stated', {
      month: p.month,
      width: `${formatNumber(p.corridor_m, lang)} ${t('unit.m')}`,
      excellentMax: p.grades.excellent_max_open_points,
      qualifiedMax: p.grades.qualified_max_open_points,
      days: p.grades.qualified_max_open_days,
      reward: formatNumber(p.rewards.reward_per_km, lang),
      penalty: formatNumber(p.rewards.penalty_per_km, lang),
    });
  };
  return (
    <div className="analysis-body" data-testid="analysis-corridor">
      <p className="hint">{t('analysis.corridor.desc')}</p>
      <AnalysisForm a={a}>
        <ParamField a={a} name="month" labelKey="analysis.corridor.month">
          <ParamInput a={a} name="month" type="month" max={shanghaiMonth(new Date())} />
        </ParamField>
        <CorridorWidthField a={a} />
        <RoadsField a={a} />
      </AnalysisForm>
      <ResultState a={a}>
        {(r) => {
          const g = gradeSummary(r.units);
          const total = {
            village: t('analysis.total'),
            units: r.ledger.reduce((s, x) => s + x.units, 0),
            excellent_km: sum(r.ledger as never, 'excellent_km', 3),
            qualified_km: sum(r.ledger as never, 'qualified_km', 3),
            unqualified_km: sum(r.ledger as never, 'unqualified_km', 3),
            reward_yuan: sum(r.ledger as never, 'reward_yuan', 2),
            penalty_yuan: sum(r.ledger as never, 'penalty_yuan', 2),
            total_yuan: sum(r.ledger as never, 'total_yuan', 2),
          };
          return (
            <>
              <p className="stated" data-testid="analysis-stated">{stated(r)}</p>
              <div className="stats" data-testid="corridor-total">
                {(['excellent', 'qualified', 'unqualified'] as const).map((grade) => (
                  <Stat key={grade} labelText={t(`grade.${grade}`)} value={formatNumber(g[grade].km, lang, 3)} unit={t('unit.km')} sub={t('analysis.unitsCount', { count: g[grade].units })} testid={`stat-${grade}`} tone={grade === 'unqualified' && g[grade].units ? 'bad' : undefined} />
                ))}
                <Stat labelText={t('analysis.netReward')} value={formatNumber(total.total_yuan, lang, 2)} unit={t('unit.yuan')} testid="stat-total_yuan" />
              </div>
              <DataTable testid="corridor-ledger" caption={t('analysis.ledger')} rows={r.ledger} rowKey={(x) => x.village ?? '-'} columns={ledgerColumns(t)} total={total as LedgerRow} />
              <DataTable
                testid="corridor-units"
                caption={t('analysis.unitGrades')}
                rows={r.units}
                rowKey={(x) => `${x.road_code} ${x.stake}`}
                tall
                columns={[
                  { key: 'road_code', header: t('col.road'), value: (x) => x.road_code },
                  { key: 'stake', header: t('col.stake'), value: (x) => x.stake },
                  { key: 'village', header: t('col.village'), value: (x) => villageName(x.village, t) },
                  { key: 'open_points', header: t('col.open_points'), value: (x) => x.open_points, digits: 0 },
                  { key: 'max_open_days', header: t('col.max_open_days'), value: (x) => x.max_open_days, digits: 2 },
                  { key: 'grade', header: t('col.grade'), value: (x) => x.grade, render: (x) => <GradeBadge grade={x.grade} /> },
                ]}
              />
            </>
          );
        }}
      </ResultState>
    </div>
  );
}

/** Corridor rewards and penalties per village summed over a range of months, and per month. */
import { useAnalysis } from '../../analysis/useAnalysis';
import { shanghaiMonth, type RewardsResult } from '../../analysis/model';
import { useT } from '../../i18n/i18n';
import { formatNumber } from '../../lib/format';
import { AnalysisForm, CorridorWidthField, DataTable, moneyColumns, ParamField, ParamInput, RoadsField, ResultState, Stat, villageName } from './parts';

type VillageRow = RewardsResult['villages'][number];
const r2 = (n: number) => Math.round(n * 100) / 100;
const r3 = (n: number) => Math.round(n * 1000) / 1000;

export function RewardsAnalysis() {
  const { t, lang } = useT();
  const a = useAnalysis('rewards');
  const thisMonth = shanghaiMonth(new Date());
  return (
    <div className="analysis-body" data-testid="analysis-rewards">
      <p className="hint">{t('analysis.rewards.desc')}</p>
      <AnalysisForm a={a}>
        <ParamField a={a} name="from" labelKey="analysis.rewards.from">
          <ParamInput a={a} name="from" type="month" max={thisMonth} />
        </ParamField>
        <ParamField a={a} name="to" labelKey="analysis.rewards.to">
          <ParamInput a={a} name="to" type="month" max={thisMonth} />
        </ParamField>
        <CorridorWidthField a={a} />
        <RoadsField a={a} />
      </AnalysisForm>
      <ResultState a={a}>
        {(r) => {
          const p = r.parameters;
          const total: VillageRow = {
            village: t('analysis.total'),
            months: r.months.length,
            excellent_km: r3(r.villages.reduce((s, v) => s + v.excellent_km, 0)),
            unqualified_km: r3(r.villages.reduce((s, v) => s + v.unqualified_km, 0)),
            reward_yuan: r2(r.villages.reduce((s, v) => s + v.reward_yuan, 0)),
            penalty_yuan: r2(r.villages.reduce((s, v) => s + v.penalty_yuan, 0)),
            total_yuan: r2(r.villages.reduce((s, v) => s + v.total_yuan, 0)),
          };
          const months = r.months.map((m) => ({
            month: m.month,
            excellent_km: r3(m.ledger.reduce((s, v) => s + v.excellent_km, 0)),
            unqualified_km: r3(m.ledger.reduce((s, v) => s + v.unqualified_km, 0)),
            reward_yuan: r2(m.ledger.reduce((s, v) => s + v.reward_yuan, 0)),
            penalty_yuan: r2(m.ledger.reduce((s, v) => s + v.penalty_yuan, 0)),
            total_yuan: r2(m.ledger.reduce((s, v) => s + v.total_yuan, 0)),
          }));
          return (
            <>
              <p className="stated" data-testid="analysis-stated">
                {t('analysis.rewards.stated', { from: p.from, to: p.to, months: r.months.length, width: `${formatNumber(p.corridor_m, lang)} ${t('unit.m')}` })}
              </p>
              <div className="stats">
                <Stat labelText={t('col.reward_yuan')} value={formatNumber(total.reward_yuan, lang, 2)} unit={t('unit.yuan')} testid="stat-reward_yuan" />
                <Stat labelText={t('col.penalty_yuan')} value={formatNumber(total.penalty_yuan, lang, 2)} unit={t('unit.yuan')} testid="stat-penalty_yuan" />
                <Stat labelText={t('analysis.netReward')} value={formatNumber(total.total_yuan, lang, 2)} unit={t('unit.yuan')} testid="stat-total_yuan" />
              </div>
              <DataTable
                testid="rewards-villages"
                caption={t('analysis.byVillage')}
                rows={r.villages}
                rowKey={(x) => x.village ?? '-'}
                total={total}
                columns={[
                  { key: 'village', header: t('col.village'), value: (x) => villageName(x.village, t) },
                  { key: 'months', header: t('col.months'), value: (x) => x.months, digits: 0 },
                  { key: 'excellent_km', header: t('col.excellent_km'), value: (x) => x.excellent_km, digits: 3 },
                  { key: 'unqualified_km', header: t('col.unqualified_km'), value: (x) => x.unqualified_km, digits: 3 },
                  ...moneyColumns<VillageRow>(t),
                ]}
              />
              <DataTable
                testid="rewards-months"
                caption={t('analysis.byMonth')}
                rows={months}
                rowKey={(x) => x.month}
                columns={[
                  { key: 'month', header: t('col.month'), value: (x) => x.month },
                  { key: 'excellent_km', header: t('col.excellent_km'), value: (x) => x.excellent_km, digits: 3 },
                  { key: 'unqualified_km', header: t('col.unqualified_km'), value: (x) => x.unqualified_km, digits: 3 },
                  { key: 'reward_yuan', header: t('col.reward_yuan'), value: (x) => x.reward_yuan, digits: 2 },
                  { key: 'total_yuan', header: t('col.total_yuan'), value: (x) => x.total_yuan, digits: 2 },
                ]}
              />
            </>
          );
        }}
      </ResultState>
    </div>
  );
}

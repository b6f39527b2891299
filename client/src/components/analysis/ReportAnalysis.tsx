/** The monthly work report (工作汇报): a month and optionally a village, the figures, downloads as DOCX and PDF. */
import { useAnalysis } from '../../analysis/useAnalysis';
import { analysisPath, shanghaiMonth, type ReportFigures } from '../../analysis/model';
import { useT } from '../../i18n/i18n';
import { formatNumber } from '../../lib/format';
import { AnalysisForm, DataTable, ParamField, ParamInput, ResultState, Stat, VillageSelect, villageName } from './parts';

export function ReportAnalysis() {
  const { t, lang } = useT();
  const a = useAnalysis('report');
  return (
    <div className="analysis-body" data-testid="analysis-report">
      <p className="hint">{t('analysis.report.desc')}</p>
      <AnalysisForm a={a}>
        <ParamField a={a} name="month" labelKey="analysis.corridor.month">
          <ParamInput a={a} name="month" type="month" max={shanghaiMonth(new Date())} />
        </ParamField>
        <ParamField a={a} name="village" labelKey="analysis.village">
          <VillageSelect a={a} />
        </ParamField>
      </AnalysisForm>
      <div className="analysis-actions downloads">
        <a className="button-link" href={analysisPath('report', a.params, 'docx')} download data-testid="report-docx">{t('report.docx')}</a>
        <a className="button-link" href={analysisPath('report', a.params, 'pdf')} download data-testid="report-pdf">{t('report.pdf')}</a>
      </div>
      <ResultState a={a}>
        {(r) => {
          const x = r.total;
          const n = (v: number, d = 0) => formatNumber(v, lang, d);
          return (
            <>
              <h4 className="report-title" data-testid="report-title">{r.title}</h4>
              <div className="stats">
                <Stat labelText={t('report.garbagePoints')} value={n(x.garbage_points_cleared)} unit={t('report.unit.places')} testid="stat-garbage_points_cleared" />
                <Stat labelText={t('report.garbageTons')} value={n(x.garbage_tons, 2)} unit={t('report.unit.tons')} testid="stat-garbage_tons" />
                <Stat labelText={t('report.findings')} value={n(x.findings)} sub={t('report.repeats', { count: x.repeat_findings })} testid="stat-findings" />
                <Stat labelText={t('report.notices')} value={`${n(x.notices_issued)} / ${n(x.notices_closed)}`} sub={t('report.noticesOpen', { open: x.notices_open, overdue: x.notices_overdue })} tone={x.notices_overdue ? 'bad' : undefined} testid="stat-notices" />
                <Stat labelText={t('report.demolished')} value={n(x.structures_demolished)} unit={t('report.unit.places')} testid="stat-structures_demolished" />
                <Stat labelText={t('report.planted')} value={n(x.planted_mu, 2)} unit={t('unit.mu')} sub={t('report.trees', { count: x.trees_planted })} testid="stat-planted_mu" />
                <Stat labelText={t('report.survival')} value={x.survival_pct === null ? '—' : n(x.survival_pct, 1)} unit={x.survival_pct === null ? undefined : '%'} sub={t('report.checks', { count: x.survival_checks })} testid="stat-survival_pct" />
                <Stat labelText={t('report.excellentKm')} value={n(x.excellent_km, 3)} unit={t('unit.km')} sub={`${t('col.reward_yuan')} ${n(x.reward_yuan, 2)}`} testid="stat-excellent_km" />
              </div>
              <DataTable<ReportFigures>
                testid="report-villages"
                caption={t('analysis.byVillage')}
                rows={r.villages}
                rowKey={(v) => v.village ?? '-'}
                total={r.villages.length > 1 ? { ...x, village: t('analysis.total') } : undefined}
                columns={[
                  { key: 'village', header: t('col.village'), value: (v) => villageName(v.village, t) },
                  { key: 'garbage_points_cleared', header: t('report.garbagePoints'), value: (v) => v.garbage_points_cleared, digits: 0 },
                  { key: 'garbage_tons', header: t('report.garbageTons'), value: (v) => v.garbage_tons, digits: 2 },
                  { key: 'findings', header: t('report.findings'), value: (v) => v.findings, digits: 0 },
                  { key: 'notices_issued', header: t('report.col.issued'), value: (v) => v.notices_issued, digits: 0 },
                  { key: 'notices_closed', header: t('report.col.closed'), value: (v) => v.notices_closed, digits: 0 },
                  { key: 'notices_overdue', header: t('report.col.overdue'), value: (v) => v.notices_overdue, digits: 0 },
                  { key: 'structures_demolished', header: t('report.demolished'), value: (v) => v.structures_demolished, digits: 0 },
                  { key: 'planted_mu', header: t('col.planted_mu'), value: (v) => v.planted_mu, digits: 2 },
                  { key: 'survival_pct', header: t('report.survival'), value: (v) => v.survival_pct, digits: 1 },
                  { key: 'excellent_km', header: t('col.excellent_km'), value: (v) => v.excellent_km, digits: 3 },
                  { key: 'reward_yuan', header: t('col.reward_yuan'), value: (v) => v.reward_yuan, digits: 2 },
                ]}
              />
            </>
          );
        }}
      </ResultState>
    </div>
  );
}

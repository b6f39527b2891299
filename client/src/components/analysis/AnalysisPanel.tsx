/** The analyses, one tab each; the open one computes with its parameters and draws on the map. */
import { ANALYSES, type AnalysisKind } from '../../analysis/model';
import { useAnalysisStore, useUiStore } from '../../state/stores';
import { useT } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/catalog';
import { SetbackAnalysis } from './SetbackAnalysis';
import { CorridorAnalysis } from './CorridorAnalysis';
import { RewardsAnalysis } from './RewardsAnalysis';
import { FacilitiesAnalysis } from './FacilitiesAnalysis';
import { GreenCorridorAnalysis } from './GreenCorridorAnalysis';
import { AfforestationAnalysis } from './AfforestationAnalysis';
import { RankingAnalysis } from './RankingAnalysis';
import { ReportAnalysis } from './ReportAnalysis';
import { PatrolCoverageAnalysis } from './PatrolCoverageAnalysis';

const PANELS: Record<AnalysisKind, () => React.JSX.Element> = {
  setback: SetbackAnalysis,
  corridor: CorridorAnalysis,
  rewards: RewardsAnalysis,
  facilities: FacilitiesAnalysis,
  'green-corridor': GreenCorridorAnalysis,
  afforestation: AfforestationAnalysis,
  ranking: RankingAnalysis,
  report: ReportAnalysis,
  'patrol-coverage': PatrolCoverageAnalysis,
};

export function AnalysisPanel() {
  const { t } = useT();
  const active = useAnalysisStore((s) => s.active);
  const setActive = useAnalysisStore((s) => s.setActive);
  const setPopup = useUiStore((s) => s.setPopup);
  const Panel = PANELS[active];
  return (
    <div className="analysis" data-testid="analysis-panel">
      <div className="analysis-kinds" role="tablist" aria-label={t('analysis.kinds')}>
        {ANALYSES.map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            id={`analysis-tab-${k}`}
            aria-selected={k === active}
            aria-controls="analysis-tabpanel"
            className={k === active ? 'active' : undefined}
            onClick={() => {
              setPopup(null);
              setActive(k);
            }}
            data-testid={`analysis-tab-${k}`}
          >
            {t(`analysis.${k}` as MessageKey)}
          </button>
        ))}
      </div>
      <div id="analysis-tabpanel" role="tabpanel" aria-labelledby={`analysis-tab-${active}`} className="analysis-scroll">
        <Panel key={active} />
      </div>
    </div>
  );
}

/** The page: top bar (title, search, language, account), the map with its panels, tools and status. */
import { useCallback, useEffect, useState } from 'react';
import { MapContext } from '../map/MapContext';
import type { MapController } from '../map/MapController';
import { MapView } from './MapView';
import { SidePanel } from './LayerPanel';
import { AnalysisPopup } from './analysis/AnalysisPopup';
import { FeaturePanel } from './FeaturePanel';
import { SearchBox } from './SearchBox';
import { MapToolbar } from './MapToolbar';
import { MeasureReadout } from './MeasureReadout';
import { StatusBar } from './StatusBar';
import { StatusBanner } from './StatusBanner';
import { LanguageSwitch } from './LanguageSwitch';
import { Icon } from './Icon';
import { AccountMenu } from './AccountMenu';
import { PatrolRecorder } from './PatrolRecorder';
import { AdminPanel } from './AdminPanel';
import { PasswordDialog } from './PasswordDialog';
import { useSessionStore } from '../state/session';
import { useUiStore } from '../state/stores';
import { useUrlSync } from '../state/useUrlSync';
import { installTestHook } from '../testHook';
import { useT } from '../i18n/i18n';
import type { View } from '../state/urlState';

export function App({ initialView }: { initialView?: View }) {
  const { t } = useT();
  const passwordOpen = useSessionStore((s) => s.passwordOpen);
  const [controller, setController] = useState<MapController | null>(null);
  const layersOpen = useUiStore((s) => s.layersOpen);
  const setLayersOpen = useUiStore((s) => s.setLayersOpen);
  const sideTab = useUiStore((s) => s.sideTab);
  const setSideTab = useUiStore((s) => s.setSideTab);
  const openSheet = (tab: 'layers' | 'analysis') => {
    setLayersOpen(!(layersOpen && sideTab === tab));
    setSideTab(tab);
  };
  const onReady = useCallback((c: MapController | null) => {
    setController(c);
    installTestHook(c);
  }, []);
  useUrlSync(controller);
  useEffect(() => {
    document.title = t('app.title');
  }, [t]);

  return (
    <MapContext.Provider value={controller}>
      <div className="app">
        <header className="topbar">
          <h1 className="brand">
            <span className="brand-mark" aria-hidden="true" />
            {t('app.title')}
          </h1>
          <SearchBox />
          <PatrolRecorder />
          <LanguageSwitch />
          <AccountMenu />
        </header>
        <main className="stage">
          <MapView initialView={initialView} onReady={onReady} />
          <div className="sheet-fabs">
            <button type="button" className="layers-fab" aria-expanded={layersOpen && sideTab === 'layers'} onClick={() => openSheet('layers')} data-testid="layers-fab">
              <Icon name="layers" /> {t('panel.layers')}
            </button>
            <button type="button" className="layers-fab" aria-expanded={layersOpen && sideTab === 'analysis'} onClick={() => openSheet('analysis')} data-testid="analysis-fab">
              <Icon name="chart" /> {t('panel.analysis')}
            </button>
          </div>
          <SidePanel />
          <MapToolbar />
          <MeasureReadout />
          <FeaturePanel />
          <AnalysisPopup />
          <StatusBar />
          <StatusBanner />
          <AdminPanel />
        </main>
        {passwordOpen && <PasswordDialog />}
      </div>
    </MapContext.Provider>
  );
}

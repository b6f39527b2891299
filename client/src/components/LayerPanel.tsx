/**
 * The left panel (a bottom sheet on phones) with two tabs: the layers (every layer with toggle,
 * count, legend and filters, then the basemap) and the analyses.
 */
import { MAP_LAYERS } from '../map/filters';
import { useLayerStore, useUiStore } from '../state/stores';
import { useClientConfig, useCollections } from '../api/queries';
import { useT } from '../i18n/i18n';
import { LayerRow } from './LayerRow';
import { WATER } from '../map/symbology';
import { AnalysisPanel } from './analysis/AnalysisPanel';
import { NoticesPanel } from './notices/NoticesPanel';

function BasemapSection() {
  const { t } = useT();
  const config = useClientConfig();
  const on = useLayerStore((s) => s.basemapOn);
  const setBasemap = useLayerStore((s) => s.setBasemap);
  const available = Boolean(config.data?.basemap);
  return (
    <section className="base-section">
      <h3>{t('layers.base')}</h3>
      <p className="base-water">
        <svg className="swatch" width="28" height="16" aria-hidden="true"><rect x="2" y="3" width="24" height="10" fill={WATER.fill} stroke={WATER.line} /></svg>
        {t('layers.waterways')}
      </p>
      {available ? (
        <label className="check">
          <input type="checkbox" checked={on} onChange={(e) => setBasemap(e.target.checked)} data-testid="toggle-basemap" />
          {t('layers.basemapOnline')}
          <span className="hint"> ({config.data!.basemap!.attribution})</span>
        </label>
      ) : (
        <p className="hint">{t('layers.basemapNone')}</p>
      )}
    </section>
  );
}

export function LayerList() {
  const { t } = useT();
  const collections = useCollections();
  return (
    <div className="layer-tab" data-testid="layer-panel">
      {collections.isError && (
        <div className="notice error" role="alert">
          {t('layers.loadFailed')}
          <button type="button" onClick={() => void collections.refetch()}>{t('status.retry')}</button>
        </div>
      )}
      <h2 className="visually-hidden">{t('layers.title')}</h2>
      <ul className="layer-list">
        {MAP_LAYERS.map((id) => (
          <LayerRow key={id} collection={id} />
        ))}
      </ul>
      <BasemapSection />
    </div>
  );
}

export function SidePanel() {
  const { t } = useT();
  const open = useUiStore((s) => s.layersOpen);
  const setOpen = useUiStore((s) => s.setLayersOpen);
  const tab = useUiStore((s) => s.sideTab);
  const setTab = useUiStore((s) => s.setSideTab);
  const tabs = [['layers', t('side.layers')], ['analysis', t('side.analysis')], ['notices', t('side.notices')]] as const;
  return (
    <aside className={`panel side-panel${open ? ' open' : ''}${tab !== 'layers' ? ' wide' : ''}`} aria-label={t('side.tabs')} data-testid="side-panel">
      <div className="panel-head tabs-head">
        <div role="tablist" aria-label={t('side.tabs')} className="side-tabs">
          {tabs.map(([id, text]) => (
            <button
              key={id}
              type="button"
              role="tab"
              aria-selected={tab === id}
              className={tab === id ? 'active' : undefined}
              onClick={() => setTab(id)}
              data-testid={`side-tab-${id}`}
            >
              {text}
            </button>
          ))}
        </div>
        <button type="button" className="icon-button sheet-close" onClick={() => setOpen(false)} aria-label={t('panel.hideLayers')}>
          <span aria-hidden="true">✕</span>
        </button>
      </div>
      {tab === 'layers' ? <LayerList /> : tab === 'analysis' ? <AnalysisPanel /> : <div className="analysis-scroll"><NoticesPanel /></div>}
    </aside>
  );
}

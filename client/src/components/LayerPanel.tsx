/** The layer panel: every layer with toggle, count, legend and filters, then the basemap. */
import { MAP_LAYERS } from '../map/filters';
import { useLayerStore, useUiStore } from '../state/stores';
import { useClientConfig, useCollections } from '../api/queries';
import { useT } from '../i18n/i18n';
import { LayerRow } from './LayerRow';
import { WATER } from '../map/symbology';

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

export function LayerPanel() {
  const { t } = useT();
  const open = useUiStore((s) => s.layersOpen);
  const setOpen = useUiStore((s) => s.setLayersOpen);
  const collections = useCollections();
  return (
    <aside className={`panel layer-panel${open ? ' open' : ''}`} aria-label={t('layers.title')} data-testid="layer-panel">
      <div className="panel-head">
        <h2>{t('layers.title')}</h2>
        <button type="button" className="icon-button sheet-close" onClick={() => setOpen(false)} aria-label={t('panel.hideLayers')}>
          <span aria-hidden="true">✕</span>
        </button>
      </div>
      {collections.isError && (
        <div className="notice error" role="alert">
          {t('layers.loadFailed')}
          <button type="button" onClick={() => void collections.refetch()}>{t('status.retry')}</button>
        </div>
      )}
      <ul className="layer-list">
        {MAP_LAYERS.map((id) => (
          <LayerRow key={id} collection={id} />
        ))}
      </ul>
      <BasemapSection />
    </aside>
  );
}

/** One layer in the panel: toggle, name, live count, and its legend and filters when open. */
import { useState } from 'react';
import { findCollection } from '../../../server/collections/registry';
import { useLayerStore } from '../state/stores';
import { useLayerCount } from '../api/queries';
import { activeFilterCount } from '../map/filters';
import { useT } from '../i18n/i18n';
import { formatCount, label } from '../lib/format';
import { LayerLegend } from './LayerLegend';
import { LayerFilters } from './LayerFilters';
import { useSessionStore } from '../state/session';
import { canWrite } from '../lib/permissions';
import { ExportMenu } from './files/ExportMenu';
import { ImportDialog } from './files/ImportDialog';

export function LayerRow({ collection }: { collection: string }) {
  const { t, lang } = useT();
  const c = findCollection(collection)!;
  const shown = useLayerStore((s) => s.visible[collection] !== false);
  const filter = useLayerStore((s) => s.filters[collection]);
  const toggle = useLayerStore((s) => s.toggle);
  const count = useLayerCount(collection, filter);
  const [open, setOpen] = useState(false);
  const [showFilters, setShowFilters] = useState(false);
  const [importing, setImporting] = useState(false);
  const writable = useSessionStore((s) => canWrite(s.user?.role, collection));
  const active = activeFilterCount(collection, filter);
  const name = label(c.title, lang);

  return (
    <li className={`layer-row${shown ? '' : ' off'}`} data-testid={`layer-${collection}`}>
      <div className="layer-head">
        <label className="layer-toggle">
          <input type="checkbox" checked={shown} onChange={() => toggle(collection)} aria-label={t('layers.show', { name })} data-testid={`toggle-${collection}`} />
          <span className="layer-name">{name}</span>
        </label>
        <span className="count" title={t('layers.countTitle')} data-testid={`count-${collection}`} aria-live="polite">
          {count.isError ? (
            <button type="button" className="link warn" onClick={() => void count.refetch()} title={t('status.retry')}>{t('layers.countFailed')}</button>
          ) : count.data === undefined ? (
            <span className="spinner small" aria-label={t('layers.counting')} />
          ) : (
            t('layers.count', { count: formatCount(count.data, lang) } as Record<string, unknown>)
          )}
        </span>
        <button type="button" className="icon-button" aria-expanded={open} aria-label={open ? t('panel.collapse') : t('panel.expand')} onClick={() => setOpen(!open)} data-testid={`expand-${collection}`}>
          <span aria-hidden="true">{open ? '▾' : '▸'}</span>
        </button>
      </div>
      {open && (
        <div className="layer-body">
          <LayerLegend collection={collection} />
          <button type="button" className="link filters-toggle" aria-expanded={showFilters} onClick={() => setShowFilters(!showFilters)} data-testid={`filters-toggle-${collection}`}>
            {active ? t('layers.filtersActive', { count: active }) : t('layers.filters')} {showFilters ? '▴' : '▾'}
          </button>
          {showFilters && <LayerFilters collection={collection} />}
          <div className="layer-files">
            <span className="hint">{t('files.export')}</span>
            <ExportMenu collection={collection} />
            {writable && <button type="button" className="link" onClick={() => setImporting(true)} data-testid={`import-${collection}`}>{t('files.importButton')}</button>}
          </div>
        </div>
      )}
      {importing && <ImportDialog collection={collection} onClose={() => setImporting(false)} />}
    </li>
  );
}

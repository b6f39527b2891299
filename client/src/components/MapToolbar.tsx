/** Map tools: zoom, north up, show everything, measure distance and area, copy link, new feature. */
import { useMapController } from '../map/MapContext';
import { useUiStore, type Tool } from '../state/stores';
import { useCollections } from '../api/queries';
import { dataBounds } from './MapView';
import { useT } from '../i18n/i18n';
import { Icon } from './Icon';
import { MAP_LAYERS } from '../map/filters';
import { useSessionStore } from '../state/session';
import { canWrite, writableCollections } from '../lib/permissions';

export function MapToolbar() {
  const { t } = useT();
  const map = useMapController();
  const tool = useUiStore((s) => s.tool);
  const setTool = useUiStore((s) => s.setTool);
  const startCreate = useUiStore((s) => s.startCreate);
  const toast = useUiStore((s) => s.showToast);
  const collections = useCollections();
  const role = useSessionStore((s) => s.user?.role);
  // 新建 opens on garbage points when the role may write them, else on the first layer it may.
  const writable = writableCollections(role, MAP_LAYERS);
  const firstLayer = writable.includes('garbage_points') ? 'garbage_points' : writable[0];
  const toggleTool = (t2: Tool) => setTool(tool === t2 ? 'none' : t2);
  const fit = () => {
    const b = collections.data && dataBounds(collections.data.collections);
    if (b) map?.fitBounds(b, 15);
  };
  const share = async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
    } catch {
      // No clipboard permission: the address bar holds the same link.
    }
    toast({ key: 'tools.copied' });
  };
  return (
    <div className="toolbar" role="toolbar" aria-label={t('tools.label')} data-testid="toolbar">
      <div className="tool-group">
        <button type="button" onClick={() => map?.zoomBy(1)} title={t('tools.zoomIn')} aria-label={t('tools.zoomIn')}><Icon name="plus" /></button>
        <button type="button" onClick={() => map?.zoomBy(-1)} title={t('tools.zoomOut')} aria-label={t('tools.zoomOut')}><Icon name="minus" /></button>
        <button type="button" onClick={() => map?.northUp()} title={t('tools.north')} aria-label={t('tools.north')} data-testid="north-up">
          <span aria-hidden="true" className="north">N↑</span>
        </button>
        <button type="button" onClick={fit} title={t('tools.fit')} aria-label={t('tools.fit')}>
          <Icon name="fit" />
        </button>
      </div>
      <div className="tool-group">
        <button type="button" aria-pressed={tool === 'measure-line'} onClick={() => toggleTool('measure-line')} title={t('tools.measureDistance')} data-testid="measure-line">
          <Icon name="ruler" /><span className="tool-text">{t('tools.measureDistance')}</span>
        </button>
        <button type="button" aria-pressed={tool === 'measure-polygon'} onClick={() => toggleTool('measure-polygon')} title={t('tools.measureArea')} data-testid="measure-area">
          <Icon name="area" /><span className="tool-text">{t('tools.measureArea')}</span>
        </button>
      </div>
      <div className="tool-group">
        <button type="button" onClick={() => void share()} title={t('tools.share')} aria-label={t('tools.share')}>
          <Icon name="link" />
        </button>
        {canWrite(role, 'findings') && (
          <button type="button" className="primary" onClick={() => startCreate('findings')} title={t('finding.report')} data-testid="report-finding-button">
            <Icon name="plus" /><span className="tool-text">{t('finding.report')}</span>
          </button>
        )}
        {firstLayer && (
          <button type="button" className="primary" onClick={() => startCreate(firstLayer)} title={t('feature.new')} aria-label={t('feature.new')} data-testid="new-feature-button">
            <Icon name="plus" /><span className="tool-text">{t('tools.newFeature')}</span>
          </button>
        )}
      </div>
    </div>
  );
}

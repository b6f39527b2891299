/** Loading, failures with a retry, and short confirmations, over the map (never a blank map). */
import { useEffect } from 'react';
import { useCollections } from '../api/queries';
import { useLayerStore, useUiStore } from '../state/stores';
import { useT } from '../i18n/i18n';

export function StatusBanner() {
  const { t, lang } = useT();
  const collections = useCollections();
  const loading = useUiStore((s) => s.mapLoading);
  const tileErrors = useUiStore((s) => s.tileErrors);
  const clearTileErrors = useUiStore((s) => s.clearTileErrors);
  const toast = useUiStore((s) => s.toast);
  const showToast = useUiStore((s) => s.showToast);
  const bumpAll = useLayerStore((s) => s.bumpAll);

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => showToast(null), 3500);
    return () => clearTimeout(timer);
  }, [toast, showToast]);

  return (
    <div className="banners" aria-live="polite">
      {loading && (
        <div className="notice loading" data-testid="map-loading">
          <span className="spinner small" /> {t('status.loading')}
        </div>
      )}
      {collections.isError && (
        <div className="notice error" role="alert">
          {t('status.apiError', { message: (collections.error as Error).message })}
          <button type="button" onClick={() => void collections.refetch()}>{t('status.retry')}</button>
        </div>
      )}
      {tileErrors.length > 0 && (
        <div className="notice error" role="alert" data-testid="tile-error">
          {t('status.tileError')}
          <button
            type="button"
            onClick={() => {
              clearTileErrors();
              bumpAll();
            }}
          >
            {t('status.retry')}
          </button>
        </div>
      )}
      {toast && (
        <div className="notice ok" role="status" data-testid="toast">
          {t(toast.key, Object.fromEntries(Object.entries(toast.vars ?? {}).map(([k, v]) => [k, typeof v === 'object' ? v[lang] : v])))}
        </div>
      )}
    </div>
  );
}

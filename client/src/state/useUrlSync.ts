/**
 * Keeps the URL hash in step with the view, layers, filters, basemap and selection, so that a
 * copied link reproduces what the sender saw; a hash pasted into the same tab is applied too.
 */
import { useEffect } from 'react';
import type { MapController } from '../map/MapController';
import { useAnalysisStore, useLayerStore, useUiStore } from './stores';
import { defaultParams } from '../analysis/model';
import { decodeUrlState, encodeUrlState, type UrlState } from './urlState';

/** Puts a decoded URL state into the stores (at start, and when the hash changes). */
export function applyUrlState(s: UrlState): void {
  useLayerStore.setState({
    visible: Object.fromEntries(s.hidden.map((id) => [id, false])),
    filters: s.filters,
    ...(s.basemap !== undefined ? { basemapOn: s.basemap } : {}),
  });
  if (s.selected) useUiStore.getState().select(s.selected);
  if (s.analysis) {
    const a = useAnalysisStore.getState();
    // A parameter the link leaves out takes the panel's default.
    a.setParams(s.analysis.kind, { ...defaultParams(s.analysis.kind), ...s.analysis.params });
    a.setActive(s.analysis.kind);
    useUiStore.getState().setSideTab('analysis');
  }
}

export function currentUrlState(): UrlState {
  const layers = useLayerStore.getState();
  const ui = useUiStore.getState();
  const analysis = useAnalysisStore.getState();
  return {
    analysis: ui.sideTab === 'analysis' ? { kind: analysis.active, params: analysis.params[analysis.active] } : undefined,
    view: ui.view ?? undefined,
    hidden: Object.entries(layers.visible).filter(([, v]) => v === false).map(([k]) => k),
    filters: layers.filters,
    basemap: layers.basemapOn ? true : undefined,
    selected: ui.selected ?? undefined,
  };
}

export function useUrlSync(controller: MapController | null): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let written = window.location.hash.replace(/^#/, '');
    const write = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const hash = encodeUrlState(currentUrlState());
        if (hash !== written) {
          written = hash;
          history.replaceState(history.state, '', `${window.location.pathname}${window.location.search}#${hash}`);
        }
      }, 250);
    };
    const unsubscribeLayers = useLayerStore.subscribe(write);
    const unsubscribeUi = useUiStore.subscribe((s, prev) => {
      if (s.view !== prev.view || s.selected !== prev.selected || s.sideTab !== prev.sideTab) write();
    });
    const unsubscribeAnalysis = useAnalysisStore.subscribe((s, prev) => {
      if (s.active !== prev.active || s.params !== prev.params) write();
    });
    const onHashChange = () => {
      const hash = window.location.hash.replace(/^#/, '');
      if (hash === written) return;
      written = hash;
      const s = decodeUrlState(hash);
      applyUrlState(s);
      if (s.view && controller) controller.map.jumpTo({ center: s.view.center, zoom: s.view.zoom, bearing: s.view.bearing });
    };
    window.addEventListener('hashchange', onHashChange);
    return () => {
      clearTimeout(timer);
      unsubscribeLayers();
      unsubscribeUi();
      unsubscribeAnalysis();
      window.removeEventListener('hashchange', onHashChange);
    };
  }, [controller]);
}

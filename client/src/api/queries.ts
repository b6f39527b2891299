/**
 * Server data through the query cache (@tanstack/react-query): collections, counts, one item,
 * search data, and the writes. After a write the layer's tile version is bumped (so MapLibre and
 * deck.gl fetch fresh tiles) and the cached counts and items of that layer are invalidated.
 */
import { useMutation, useQuery, useQueryClient, QueryClient } from '@tanstack/react-query';
import { api, apiItem } from './http';
import type { ClientConfig, CollectionsResponse, Item, ItemsResponse } from './types';
import { filterParams, itemsPath, selectsNothing, type LayerFilter } from '../map/filters';
import { useLayerStore } from '../state/stores';

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A failed request is retried once, then shown with a retry button.
        retry: 1,
        staleTime: 30_000,
        refetchOnWindowFocus: false,
      },
    },
  });
}

declare global {
  interface Window {
    /** Requests index.html starts before the app's script (taken once, then gone). */
    __remapEarly?: { collections?: Promise<Response> };
  }
}

/** The early /api/collections answer when it succeeded; anything else asks again through api(). */
async function earlyCollections(): Promise<CollectionsResponse | undefined> {
  const early = window.__remapEarly?.collections;
  if (!early) return undefined;
  delete window.__remapEarly!.collections;
  try {
    const res = await early;
    return res.ok ? ((await res.json()) as CollectionsResponse) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Can a visitor who is not signed in read the map (the server's PUBLIC_READ)? Asks for the
 * collections, using the early request when it is still there, and keeps the answer when it is yes.
 */
export async function anonymousCanRead(qc: QueryClient): Promise<boolean> {
  let res: Response | undefined;
  const early = window.__remapEarly?.collections;
  if (early) {
    delete window.__remapEarly!.collections;
    res = await early.catch(() => undefined);
  }
  res ??= await fetch('/api/collections', { headers: { Accept: 'application/json' } });
  if (!res.ok) return false;
  qc.setQueryData(['collections'], (await res.json()) as CollectionsResponse);
  return true;
}

export function useCollections() {
  return useQuery({
    queryKey: ['collections'],
    queryFn: async () => (await earlyCollections()) ?? api<CollectionsResponse>('/api/collections'),
  });
}

export function useClientConfig() {
  return useQuery({ queryKey: ['client-config'], queryFn: () => api<ClientConfig>('/api/client-config'), staleTime: Infinity });
}

/** Number of features that match a layer's filters (the same filters its tiles use). */
export function useLayerCount(collection: string, filter: LayerFilter | undefined) {
  const nothing = selectsNothing(filter);
  return useQuery({
    queryKey: ['count', collection, filterParams(collection, filter), nothing],
    queryFn: async () => (nothing ? 0 : (await api<ItemsResponse>(itemsPath(collection, filter, [['limit', '1']]))).numberMatched),
    placeholderData: (prev) => prev,
  });
}

export function useItem(collection: string | undefined, id: number | undefined) {
  return useQuery({
    queryKey: ['item', collection, id],
    queryFn: () => apiItem<Item>(`/api/collections/${collection}/items/${id}`),
    enabled: Boolean(collection && id !== undefined),
    retry: (count, e) => (e as { status?: number }).status !== 404 && count < 1,
  });
}

/** Every feature of a small layer (roads, villages, plots) for search. */
export function useAllItems(collection: string, enabled: boolean) {
  return useQuery({
    queryKey: ['all', collection],
    queryFn: () => api<ItemsResponse>(`/api/collections/${collection}/items?limit=10000`),
    enabled,
    staleTime: 5 * 60_000,
  });
}

/** Every feature of a small layer that matches its filters (labels drawn once per feature). */
export function useFilteredItems(collection: string, filter: LayerFilter | undefined, enabled: boolean) {
  const nothing = selectsNothing(filter);
  return useQuery({
    queryKey: ['all', collection, filterParams(collection, filter), nothing],
    queryFn: async () => (nothing ? { type: 'FeatureCollection', numberMatched: 0, numberReturned: 0, features: [] } as ItemsResponse : api<ItemsResponse>(itemsPath(collection, filter, [['limit', '10000']]))),
    enabled,
    staleTime: 5 * 60_000,
    placeholderData: (prev) => prev,
  });
}

function useAfterWrite() {
  const qc = useQueryClient();
  const bump = useLayerStore((s) => s.bumpVersion);
  return (collection: string, item?: Item) => {
    bump(collection);
    void qc.invalidateQueries({ queryKey: ['count', collection] });
    void qc.invalidateQueries({ queryKey: ['collections'] });
    void qc.invalidateQueries({ queryKey: ['all', collection] });
    // Every analysis reads the layers: a demolished structure leaves the violations at once.
    void qc.invalidateQueries({ queryKey: ['analysis'] });
    // The feature's history (修改记录) and the audit log gain an entry.
    void qc.invalidateQueries({ queryKey: ['audit'] });
    if (item) qc.setQueryData(['item', collection, item.id], item);
  };
}

export interface FeatureBody {
  geometry?: GeoJSON.Geometry;
  properties: Record<string, unknown>;
}

export function useCreateItem() {
  const after = useAfterWrite();
  return useMutation({
    mutationFn: ({ collection, body }: { collection: string; body: FeatureBody }) =>
      apiItem<Item>(`/api/collections/${collection}/items`, { method: 'POST', json: { type: 'Feature', ...body } }),
    onSuccess: (item, { collection }) => after(collection, item),
  });
}

export function usePatchItem() {
  const after = useAfterWrite();
  return useMutation({
    // etag: the one the feature was read with; the server refuses the patch (412) if it changed since.
    mutationFn: ({ collection, id, patch, etag }: { collection: string; id: number; patch: Partial<FeatureBody>; etag?: string }) =>
      apiItem<Item>(`/api/collections/${collection}/items/${id}`, {
        method: 'PATCH',
        json: patch,
        contentType: 'application/merge-patch+json',
        headers: etag ? { 'If-Match': etag } : undefined,
      }),
    onSuccess: (item, { collection }) => after(collection, item),
  });
}

export function useDeleteItem() {
  const after = useAfterWrite();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ collection, id, etag }: { collection: string; id: number; etag?: string }) =>
      api<void>(`/api/collections/${collection}/items/${id}`, { method: 'DELETE', headers: etag ? { 'If-Match': etag } : undefined }),
    onSuccess: (_r, { collection, id }) => {
      qc.removeQueries({ queryKey: ['item', collection, id] });
      after(collection);
    },
  });
}

/** Hotspots of repeated findings for the map (refetched after any write, like the analyses). */
export function useHotspots(enabled: boolean) {
  return useQuery({
    queryKey: ['analysis', 'hotspots'],
    queryFn: () => api<GeoJSON.FeatureCollection>('/api/analysis/hotspots?f=geojson'),
    enabled,
    staleTime: 60_000,
  });
}

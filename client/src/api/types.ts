/** Shapes of the server's answers that the client reads (OGC API Features plus our extras). */
export interface CollectionInfo {
  id: string;
  title: string;
  title_en: string;
  extent: { spatial: { bbox: number[][] } };
  number_of_features: number;
  temporal_property: string;
  filterable_properties: string[];
  geometry_types: string[];
}

export interface CollectionsResponse {
  collections: CollectionInfo[];
}

export interface Item {
  type: 'Feature';
  id: number;
  geometry: GeoJSON.Geometry;
  properties: Record<string, unknown> & { created_at?: string; updated_at?: string; source?: Record<string, unknown> | null };
  /** Client-only: the ETag header of the response that carried this item, sent back as If-Match. */
  etag?: string;
}

export interface ItemsResponse {
  type: 'FeatureCollection';
  numberMatched: number;
  numberReturned: number;
  features: Item[];
}

export interface ClientConfig {
  basemap: { tiles: string[]; attribution: string } | null;
}

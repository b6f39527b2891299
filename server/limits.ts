/**
 * Limits on what one request may carry, in one place; README "Limits" lists them. Body sizes are
 * Fastify's bodyLimit (config.ts); the rest are checked where the input is read: features per
 * import in routes/import.ts, vertices in collections/geometry.ts, property sizes in
 * collections/properties.ts, page size in routes/params.ts.
 */
export interface Limits {
  /** Vertices of one geometry (all rings and parts together). Setting: MAX_VERTICES. */
  maxVertices: number;
  /** Features in one POST /api/import request. Setting: IMPORT_MAX_FEATURES. */
  importMaxFeatures: number;
}

export const DEFAULT_LIMITS: Limits = {
  // A township road or village boundary has hundreds to a few thousand vertices; 100,000 leaves
  // room for surveyed detail, while a million-vertex polygon would tie up GEOS and every tile.
  maxVertices: 100_000,
  // The county benchmark imports 50,000 features a request; 250,000 covers a county's 200,000
  // garbage points in one file.
  importMaxFeatures: 250_000,
};

/** Source attributes kept from an imported file, per feature, as JSON text (fixed). */
export const MAX_SOURCE_BYTES = 64 * 1024;

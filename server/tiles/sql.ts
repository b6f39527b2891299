import { fillTemplate, ident } from '../db/sql.js';
import type { CollectionDef, PropertyDef } from '../collections/registry.js';

/** Long free text stays out of tiles (the feature panel reads the item); everything else is a tag. */
export function tileProperties(c: CollectionDef): PropertyDef[] {
  // Lists (a finding's photo ids) are not MVT values either.
  return c.properties.filter((p) => !(p.type === 'text' && p.maxLength > 200) && p.type !== 'ids');
}

/**
 * Select-list expressions that give both encoders identical tag values: numbers stay numbers,
 * dates are 'YYYY-MM-DD' text and instants RFC 3339 text in UTC.
 */
function expression(p: PropertyDef): string {
  const col = `t.${ident(p.name)}`;
  if (p.type === 'date') return `${col}::text AS ${p.name}`;
  if (p.type === 'datetime') return `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS ${p.name}`;
  return col;
}

/** Point layers are drawn as clusters up to this zoom, as single points above it. */
export const CLUSTER_MAX_ZOOM = 11;

export interface TileStatements {
  /** Real PostGIS: returns one row { tile: bytea }. */
  mvt: string;
  /** Embedded: returns the features in tile space for encode.ts. */
  geometries: string;
  /** Layers of points only, above CLUSTER_MAX_ZOOM: positions by arithmetic (tiles/points.sql). */
  points?: { mvt: string; geometries: string };
  /** Point layers at z ≤ CLUSTER_MAX_ZOOM, for each engine (undefined for other layers). */
  clusters?: { mvt: string; geometries: string };
  /** The same clusters from the kept cell counts; only without filters ($4 = the layer). */
  clusterCells?: { mvt: string; geometries: string };
}

/** Point collections are clustered at low zoom; the style property summarises each cluster. */
export function clusterStyle(c: CollectionDef): string | undefined {
  return c.geometryTypes.length === 1 && c.geometryTypes[0] === 'Point' ? c.styleBy : undefined;
}

const cache = new Map<string, TileStatements>();

/** Statements for one collection and one shape of filter (`where` holds placeholders, not values). */
export function tileStatements(c: CollectionDef, where = 'true'): TileStatements {
  const key = `${c.id}|${where}`;
  let s = cache.get(key);
  if (!s) {
    const props = tileProperties(c);
    const properties = props.map(expression).join(', ');
    const table = ident(c.table);
    const layer = ident(c.id);
    const style = clusterStyle(c);
    const clusters = style ? fillTemplate('tiles/clusters', { table, style: ident(style), where }) : undefined;
    const cells = style ? fillTemplate('tiles/cluster-cells', { style: ident(style) }) : undefined;
    const onlyPoints = c.geometryTypes.length === 1 && c.geometryTypes[0] === 'Point';
    const points = onlyPoints
      ? fillTemplate('tiles/points', { table, properties, p_properties: props.map((p) => `p.${ident(p.name)}`).join(', '), where })
      : undefined;
    // The rows of clusters.sql, cluster-cells.sql and points.sql in tile space, encoded by either engine.
    const wrap = (sql: string, columns: string) => ({
      mvt: `SELECT ST_AsMVT(c, '${layer}', 4096, 'geom', 'id') AS tile FROM (${sql}) c`,
      geometries: `SELECT c.id, ${columns}, ST_AsGeoJSON(c.geom, 0) AS geom FROM (${sql}) c`,
    });
    const clusterColumns = style ? `c.point_count, c.${ident(style)}` : '';
    s = {
      mvt: fillTemplate('tiles/mvt', { table, layer, properties, where }),
      geometries: fillTemplate('tiles/geometries', { table, properties, q_properties: props.map((p) => `q.${ident(p.name)}`).join(', '), where }),
      points: points ? wrap(points, props.map((p) => `c.${ident(p.name)}`).join(', ')) : undefined,
      clusters: clusters ? wrap(clusters, clusterColumns) : undefined,
      clusterCells: cells ? wrap(cells, clusterColumns) : undefined,
    };
    cache.set(key, s);
  }
  return s;
}

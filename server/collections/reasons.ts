/**
 * What kind of problem a FieldError is, beside its English `reason`: a client says it in its own
 * language from the code, the property's labels (registry.ts) and `params` (the value given, the
 * place in the geometry, counts). The English text stays for API users and as the fallback.
 */
export const REASON_CODES = [
  // properties
  'text', 'blank', 'too_long', 'pattern', 'enum', 'number', 'integer', 'range', 'date', 'datetime',
  'required', 'unknown_property', 'order', 'source_too_large',
  // geometry
  'geometry_missing', 'geometry_type', 'geometry_shape', 'not_finite', 'longitude', 'latitude', 'swapped',
  'too_many_vertices', 'line_too_short', 'ring_too_few', 'ring_not_closed', 'ring_degenerate', 'empty', 'topology',
  // a row of a table file (read-table.ts)
  'coordinates_not_numbers', 'wkt_unreadable',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

export type ReasonParams = Record<string, string | number>;

/** A value as shown inside a message: text as JSON, at most 40 characters. */
export function shown(value: unknown): string {
  return (typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value)).slice(0, 40);
}

/** GEOS's words for an invalid polygon: the `kind` param of a 'topology' error and what to fix. */
export const TOPOLOGY: Record<string, [kind: string, fix: string]> = {
  'Self-intersection': ['self_intersection', 'edges of the polygon cross each other; redraw the ring so that no two edges cross'],
  'Ring Self-intersection': ['ring_self_intersection', 'a ring touches itself; split it into separate rings or polygons'],
  'Hole lies outside shell': ['hole_outside', 'a hole lies outside its outer ring; remove it or move it inside'],
  'Nested holes': ['nested_holes', 'a hole lies inside another hole'],
  'Interior is disconnected': ['disconnected', 'holes cut the polygon into pieces; make them separate polygons'],
  'Nested shells': ['nested_shells', 'one polygon of the multipolygon lies inside another'],
  'Too few points': ['too_few_points', 'a ring has too few distinct points'],
  'Invalid Coordinate': ['invalid_coordinate', 'a coordinate is not a finite number'],
};

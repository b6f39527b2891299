/** File formats and coordinate systems the import dialog and export menus offer. */
export const FORMATS = ['xlsx', 'csv', 'shp', 'gpkg', 'kml', 'geojson'] as const;
export type Format = (typeof FORMATS)[number];

/** CGCS2000 3-degree Gauss-Krüger zones around Anhui (CM 114°E–120°E), with the zone prefix. */
const GK = [38, 39, 40].map((zone) => ({ value: `EPSG:${4513 + zone - 25}`, label: `CGCS2000 GK ${zone} (EPSG:${4513 + zone - 25})` }));
const GK_CM = [114, 117, 120].map((cm) => ({ value: `EPSG:${4534 + (cm - 75) / 3}`, label: `CGCS2000 GK CM ${cm}°E (EPSG:${4534 + (cm - 75) / 3})` }));

export const EXPORT_CRS = [
  { value: 'EPSG:4326', label: 'WGS84 (EPSG:4326)' },
  { value: 'EPSG:4490', label: 'CGCS2000 (EPSG:4490)' },
  ...GK,
  ...GK_CM,
];

/** Import: '' reads the file's own (.prj, GeoPackage), gcj02 undoes the web-map offset. */
export const IMPORT_CRS = [{ value: '', label: '' }, ...EXPORT_CRS, { value: 'gcj02', label: 'GCJ-02（高德/腾讯 AMap/Tencent）' }];

export function exportPath(collection: string, filters: [string, string][], f: Format, crs: string, encoding?: string): string {
  const q = new URLSearchParams([['f', f], ...(crs !== 'EPSG:4326' ? [['crs', crs]] : []), ...(encoding ? [['encoding', encoding]] : []), ...filters]);
  return `/api/export/${collection}?${q.toString().replace(/%2C/g, ',')}`;
}

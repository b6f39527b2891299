/** Download a layer as a file, filtered as on the map: format, coordinate system, Shapefile encoding. */
import { useState } from 'react';
import { useLayerStore } from '../../state/stores';
import { filterParams } from '../../map/filters';
import { useT } from '../../i18n/i18n';
import { EXPORT_CRS, exportPath, FORMATS, type Format } from './formats';

export function ExportMenu({ collection }: { collection: string }) {
  const { t } = useT();
  const filter = useLayerStore((s) => s.filters[collection]);
  const [f, setF] = useState<Format>('xlsx');
  const [crs, setCrs] = useState('EPSG:4326');
  const [encoding, setEncoding] = useState<'utf-8' | 'gbk'>('gbk');
  const href = exportPath(collection, filterParams(collection, filter), f, f === 'kml' ? 'EPSG:4326' : crs, f === 'shp' ? encoding : undefined);
  return (
    <div className="export-menu" data-testid={`export-${collection}`}>
      <select value={f} onChange={(e) => setF(e.target.value as Format)} aria-label={t('files.format')} data-testid="export-format">
        {FORMATS.map((x) => <option key={x} value={x}>{t(`files.format.${x}`)}</option>)}
      </select>
      {f !== 'kml' && (
        <select value={crs} onChange={(e) => setCrs(e.target.value)} aria-label={t('files.crs')} data-testid="export-crs">
          {EXPORT_CRS.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
        </select>
      )}
      {f === 'shp' && (
        <select value={encoding} onChange={(e) => setEncoding(e.target.value as 'utf-8' | 'gbk')} aria-label={t('files.encoding')}>
          <option value="gbk">GBK</option>
          <option value="utf-8">UTF-8</option>
        </select>
      )}
      <a className="button-link" href={href} download data-testid="export-download">{t('files.download')}</a>
    </div>
  );
}

/**
 * Editing a feature's shape on the map with terra-draw: start, watch the shape change, finish.
 * The new geometry is handed up and saved with the properties.
 */
import { useEffect, useState } from 'react';
import { useMapController } from '../map/MapContext';
import type { DrawGeometryType, SimpleGeometry } from '../map/MapController';
import { useT } from '../i18n/i18n';

/** A Multi* geometry with one part can be edited as its simple form. */
export function editableGeometry(g: GeoJSON.Geometry): SimpleGeometry | null {
  if (g.type === 'Point' || g.type === 'LineString' || g.type === 'Polygon') return g;
  if (g.type === 'MultiLineString' && g.coordinates.length === 1) return { type: 'LineString', coordinates: g.coordinates[0] };
  if (g.type === 'MultiPolygon' && g.coordinates.length === 1) return { type: 'Polygon', coordinates: g.coordinates[0] };
  return null;
}

/** Edit an existing geometry. */
export function GeometryEditor({ geometry, onChange }: { geometry: GeoJSON.Geometry; onChange(g: SimpleGeometry | null): void }) {
  const { t } = useT();
  const map = useMapController();
  const [editing, setEditing] = useState(false);
  const [changed, setChanged] = useState(false);
  const simple = editableGeometry(geometry);
  useEffect(() => () => map?.stopDrawing(), [map]);
  if (!simple) return <p className="hint">{t('feature.multipart')}</p>;
  const start = () => {
    if (!map) return;
    map.editGeometry(simple, (g) => {
      if (g) {
        setChanged(true);
        onChange(g);
      }
    });
    setEditing(true);
  };
  const finish = () => {
    map?.stopDrawing();
    setEditing(false);
  };
  return (
    <div className="geometry-editor">
      {editing ? (
        <>
          <p className="hint">{t('feature.geometryEditing')}</p>
          <button type="button" onClick={finish} data-testid="finish-geometry">{t('feature.finishGeometry')}</button>
        </>
      ) : (
        <button type="button" onClick={start} data-testid="edit-geometry">{t('feature.editGeometry')}</button>
      )}
      {changed && <p className="hint ok">{t('feature.geometryChanged')}</p>}
    </div>
  );
}

/** Draw a new geometry of one of the allowed types. */
export function GeometryDrawer({ types, geometry, onChange }: { types: DrawGeometryType[]; geometry: SimpleGeometry | null; onChange(g: SimpleGeometry | null): void }) {
  const { t } = useT();
  const map = useMapController();
  const [type, setType] = useState<DrawGeometryType>(types[0]);
  const [drawing, setDrawing] = useState(false);
  useEffect(() => () => map?.stopDrawing(), [map]);
  useEffect(() => setType(types[0]), [types]);
  const start = (ty: DrawGeometryType) => {
    if (!map) return;
    onChange(null);
    setDrawing(true);
    // After the first finish, later drags of the drawn shape count as well.
    let done = false;
    map.startDrawing(ty, (g, finished) => {
      if (finished) done = true;
      if (g && (done || g.type === 'Point')) {
        onChange(g);
        setDrawing(false);
      }
    });
  };
  // Drawing starts as soon as the form opens: the next click on the map places the shape.
  useEffect(() => {
    start(type);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [type, map]);
  const hint = type === 'Point' ? t('feature.drawPoint') : type === 'LineString' ? t('feature.drawLine') : t('feature.drawPolygon');
  return (
    <div className="geometry-editor">
      {types.length > 1 && (
        <div className="segmented" role="radiogroup" aria-label={t('feature.drawAs')}>
          {types.map((ty) => (
            <label key={ty}>
              <input type="radio" name="draw-type" checked={type === ty} onChange={() => setType(ty)} />
              {t(`feature.geom.${ty}` as 'feature.geom.Point')}
            </label>
          ))}
        </div>
      )}
      {drawing ? <p className="hint" data-testid="draw-hint">{hint}</p> : geometry && <p className="hint ok">{t('feature.drawn')}</p>}
      {geometry && <button type="button" onClick={() => start(type)}>{t('feature.redraw')}</button>}
    </div>
  );
}

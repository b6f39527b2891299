/** Creating a feature: pick the layer, draw its shape on the map, fill in the properties. */
import { useMemo, useState } from 'react';
import { findCollection } from '../../../server/collections/registry';
import { useCreateItem } from '../api/queries';
import { errorsByField } from '../api/http';
import { useUiStore } from '../state/stores';
import { useMapController } from '../map/MapContext';
import { MAP_LAYERS } from '../map/filters';
import { useT } from '../i18n/i18n';
import { label } from '../lib/format';
import { defaultFormValues, fromFormValues } from '../lib/featureForm';
import { validateForm, type FormValues } from '../lib/validate';
import { describeReason } from '../lib/reasons';
import type { DrawGeometryType, SimpleGeometry } from '../map/MapController';
import { FeatureForm } from './FeatureForm';
import { GeometryDrawer } from './GeometryEditor';
import { useSessionStore } from '../state/session';
import { writableCollections } from '../lib/permissions';

export function NewFeatureForm({ collection }: { collection: string }) {
  const { t, lang } = useT();
  const c = findCollection(collection)!;
  const create = useCreateItem();
  const map = useMapController();
  const startCreate = useUiStore((s) => s.startCreate);
  const select = useUiStore((s) => s.select);
  const toast = useUiStore((s) => s.showToast);
  const role = useSessionStore((s) => s.user?.role);
  const [values, setValues] = useState<FormValues>(() => defaultFormValues(c));
  const [geometry, setGeometry] = useState<SimpleGeometry | null>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const types = useMemo(
    () => [...new Set(c.geometryTypes.map((g) => g.replace('Multi', '') as DrawGeometryType))],
    [c],
  );

  const submit = () => {
    const local: Record<string, string[]> = Object.fromEntries(Object.entries(validateForm(c, values, lang)).map(([k, v]) => [k, [v]]));
    if (!geometry) local.geometry = [t('feature.needGeometry')];
    if (Object.keys(local).length) return setErrors(local);
    create.mutate(
      { collection, body: { geometry: geometry!, properties: fromFormValues(c, values) } },
      {
        onSuccess: (item) => {
          map?.stopDrawing();
          toast({ key: 'feature.created', vars: { layer: c.title, id: item.id } });
          select({ collection, id: item.id });
        },
        onError: (e) => setErrors(errorsByField(e, c.properties.map((p) => p.name), (d) => describeReason(d, c, t, lang))),
      },
    );
  };

  return (
    <div className="panel-body" data-testid="new-feature">
      <div className="field">
        <label htmlFor="new-feature-layer">{t('feature.chooseLayer')}</label>
        <select id="new-feature-layer" value={collection} onChange={(e) => startCreate(e.target.value)} data-testid="new-feature-layer">
          {writableCollections(role, MAP_LAYERS).map((id) => (
            <option key={id} value={id}>{label(findCollection(id)!.title, lang)}</option>
          ))}
        </select>
      </div>
      <FeatureForm
        key={collection}
        collection={c}
        values={values}
        errors={errors}
        busy={create.isPending}
        submitLabel={t('feature.create')}
        geometry={<GeometryDrawer types={types} geometry={geometry} onChange={(g) => { setGeometry(g); if (g && errors.geometry) setErrors({ ...errors, geometry: [] }); }} />}
        onChange={(v) => setValues(v)}
        onSubmit={submit}
        onCancel={() => {
          map?.stopDrawing();
          startCreate(null);
        }}
      />
    </div>
  );
}

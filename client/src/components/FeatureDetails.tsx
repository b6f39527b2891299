/**
 * The selected feature: every property with its Chinese (or English) label and unit, created and
 * updated times, imported source attributes; edit (properties and shape), and delete.
 */
import { useEffect, useState } from 'react';
import { findCollection } from '../../../server/collections/registry';
import { useDeleteItem, useItem, usePatchItem } from '../api/queries';
import { ApiError, errorsByField, isEditConflict } from '../api/http';
import { useUiStore } from '../state/stores';
import { useMapController } from '../map/MapContext';
import { useT } from '../i18n/i18n';
import { formatValue, label, shanghaiDateTime } from '../lib/format';
import { fromFormValues, toFormValues } from '../lib/featureForm';
import { validateForm, type FormValues } from '../lib/validate';
import { describeReason } from '../lib/reasons';
import type { SimpleGeometry } from '../map/MapController';
import { FeatureForm } from './FeatureForm';
import { GeometryEditor } from './GeometryEditor';
import { ConfirmDialog } from './ConfirmDialog';
import { FeatureHistory } from './FeatureHistory';
import { GreeningRecords } from './GreeningRecords';
import { useSessionStore } from '../state/session';
import { canWrite } from '../lib/permissions';
import { hasLifecycle } from '../../../server/workflow/lifecycle';
import { FindingPhotos } from './FindingPhotos';
import { StatusHistory } from './StatusHistory';
import { ConvertFinding } from './ConvertFinding';

export function FeatureDetails({ collection, id }: { collection: string; id: number }) {
  const { t, lang } = useT();
  const c = findCollection(collection)!;
  const item = useItem(collection, id);
  const patch = usePatchItem();
  const del = useDeleteItem();
  const map = useMapController();
  const select = useUiStore((s) => s.select);
  const toast = useUiStore((s) => s.showToast);
  const [editing, setEditing] = useState(false);
  const [values, setValues] = useState<FormValues>({});
  const [geometry, setGeometry] = useState<SimpleGeometry | null>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [confirming, setConfirming] = useState(false);
  // Set when a save or delete was refused because someone else changed the feature meanwhile.
  const [conflict, setConflict] = useState(false);
  // Edit and delete only for roles that may write this layer (the server refuses the rest).
  const writable = useSessionStore((s) => canWrite(s.user?.role, collection));
  // History is for signed-in users (anonymous readers under PUBLIC_READ get a 401).
  const signedIn = useSessionStore((s) => Boolean(s.user));

  // Outline the feature on the map while its panel is open.
  useEffect(() => {
    if (item.data) map?.setSelection({ type: 'Feature', geometry: item.data.geometry, properties: {} });
  }, [item.data, map]);
  useEffect(() => () => map?.setSelection(null), [map]);
  useEffect(() => {
    setEditing(false);
    setErrors({});
    setGeometry(null);
    setConflict(false);
  }, [collection, id]);

  if (item.isPending) return <div className="panel-body"><span className="spinner" /> {t('feature.loading')}</div>;
  if (item.isError) {
    const notFound = item.error instanceof ApiError && item.error.status === 404;
    return (
      <div className="panel-body notice error" role="alert">
        {notFound ? t('feature.notFound') : t('feature.loadFailed', { message: (item.error as Error).message })}
        {!notFound && <button type="button" onClick={() => void item.refetch()}>{t('status.retry')}</button>}
      </div>
    );
  }
  const f = item.data;
  const original = toFormValues(c, f.properties);

  const startEdit = () => {
    setValues(original);
    setConflict(false);
    setErrors({});
    setGeometry(null);
    setEditing(true);
  };
  const save = () => {
    const local = validateForm(c, values, lang);
    if (Object.keys(local).length) return setErrors(Object.fromEntries(Object.entries(local).map(([k, v]) => [k, [v]])));
    const properties = fromFormValues(c, values, original);
    const body = { properties, ...(geometry ? { geometry } : {}) };
    patch.mutate(
      { collection, id, patch: body, etag: f.etag },
      {
        onSuccess: () => {
          map?.stopDrawing();
          setEditing(false);
          setGeometry(null);
          toast({ key: 'feature.saved' });
        },
        onError: (e) => {
          if (isEditConflict(e)) {
            setConflict(true);
            setErrors({});
          } else setErrors(errorsByField(e, c.properties.map((p) => p.name), (d) => describeReason(d, c, t, lang)));
        },
      },
    );
  };
  // Drops the refused edit and shows the feature as it is now; the user redoes the change on it.
  const reload = async () => {
    map?.stopDrawing();
    await item.refetch();
    setConflict(false);
    setEditing(false);
    setGeometry(null);
    setErrors({});
  };
  const remove = () =>
    del.mutate({ collection, id, etag: f.etag }, {
      onSuccess: () => {
        setConfirming(false);
        select(null);
        toast({ key: 'feature.deleted' });
      },
      onError: (e) => {
        setConfirming(false);
        if (isEditConflict(e)) setConflict(true);
        else setErrors(errorsByField(e));
      },
    });

  const title = label(c.title, lang);
  // What people call the feature: a road by its code, a village by its name, a plot by its code.
  const categoryDef = collection === 'findings' ? c.properties.find((p) => p.name === 'category') : undefined;
  const heading = categoryDef
    ? `${formatValue(c, categoryDef, f.properties.category, lang)} #${f.id}`
    : String((collection === 'villages' ? f.properties.name : f.properties.code ?? f.properties.plot_code ?? f.properties.name) ?? '') || `${title} ${f.id}`;

  return (
    <div className="panel-body" data-testid="feature-details" data-collection={collection} data-id={id}>
      <p className="kicker">{title} · {t('feature.id')} {f.id}</p>
      <h3 className="feature-title">{heading}</h3>
      {conflict && (
        <div className="notice error" role="alert" data-testid="edit-conflict">
          <p>{t('feature.conflict')}</p>
          <button type="button" onClick={() => void reload()} data-testid="reload-feature">{t('feature.reload')}</button>
        </div>
      )}
      {editing ? (
        <FeatureForm
          collection={c}
          values={values}
          errors={errors}
          busy={patch.isPending}
          submitLabel={t('feature.save')}
          geometry={<GeometryEditor geometry={f.geometry} onChange={setGeometry} />}
          onChange={(v) => {
            setValues(v);
            if (Object.keys(errors).length) setErrors({});
          }}
          onSubmit={save}
          onCancel={() => {
            map?.stopDrawing();
            setEditing(false);
            setErrors({});
          }}
        />
      ) : (
        <>
          <dl className="properties" data-testid="feature-properties">
            {c.properties.filter((def) => def.type !== 'ids').map((def) => (
              <div key={def.name} data-property={def.name}>
                <dt>{label(def.label, lang)}</dt>
                <dd>
                  {def.name === 'repeat_of' && f.properties.repeat_of
                    ? <button type="button" className="link" onClick={() => select({ collection, id: Number(f.properties.repeat_of) })} data-testid="repeat-of">#{String(f.properties.repeat_of)}</button>
                    : formatValue(c, def, f.properties[def.name], lang)}
                </dd>
              </div>
            ))}
            <div data-property="created_at">
              <dt>{t('feature.createdAt')}</dt>
              <dd>{f.properties.created_at ? shanghaiDateTime(f.properties.created_at) : '—'}</dd>
            </div>
            <div data-property="updated_at">
              <dt>{t('feature.updatedAt')}</dt>
              <dd>{f.properties.updated_at ? shanghaiDateTime(f.properties.updated_at) : '—'}</dd>
            </div>
          </dl>
          {collection === 'findings' && <FindingPhotos ids={((f.properties.photo_ids as number[] | undefined) ?? []).map(Number)} />}
          {collection === 'findings' && <ConvertFinding id={f.id} properties={f.properties} writable={writable} />}
          {(hasLifecycle(collection) || collection === 'findings') && <StatusHistory key={`${collection}/${id}`} collection={collection} id={id} writable={writable && hasLifecycle(collection)} />}
          {f.properties.source && Object.keys(f.properties.source).length > 0 && (
            <details className="source">
              <summary>{t('feature.source')}</summary>
              <dl className="properties">
                {Object.entries(f.properties.source).map(([k, v]) => (
                  <div key={k}>
                    <dt>{k}</dt>
                    <dd>{typeof v === 'object' ? JSON.stringify(v) : String(v)}</dd>
                  </div>
                ))}
              </dl>
            </details>
          )}
          {errors['']?.map((e) => <p key={e} className="field-error" role="alert">{e}</p>)}
          {writable ? (
            <div className="actions">
              <button type="button" className="danger-outline" onClick={() => setConfirming(true)} data-testid="delete-feature">{t('feature.delete')}</button>
              <button type="button" className="primary" onClick={startEdit} data-testid="edit-feature">{t('feature.edit')}</button>
            </div>
          ) : (
            <p className="hint read-only" data-testid="read-only-note">{t('feature.readOnly')}</p>
          )}
          {collection === 'afforestation_plots' && signedIn && <GreeningRecords id={id} writable={writable} />}
          {signedIn && <FeatureHistory collection={collection} id={id} />}
        </>
      )}
      {confirming && (
        <ConfirmDialog
          title={t('feature.confirmDeleteTitle')}
          message={t('feature.confirmDelete', { layer: title, id: f.id })}
          confirmLabel={del.isPending ? t('feature.deleting') : t('feature.delete')}
          cancelLabel={t('feature.cancel')}
          busy={del.isPending}
          onConfirm={remove}
          onCancel={() => setConfirming(false)}
        />
      )}
    </div>
  );
}

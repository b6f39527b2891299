/**
 * 上报问题: choose photos → they upload at once → the first photo's GPS position and time are
 * offered as the finding's place and time (a click on the map sets the place otherwise) →
 * category and description → save. The server adds village, road, stake and repeats.
 */
import { useEffect, useState } from 'react';
import { findCollection } from '../../../server/collections/registry';
import { useCreateItem } from '../api/queries';
import { errorsByField } from '../api/http';
import { describePhotoError, describeReason } from '../lib/reasons';
import { uploadPhoto, type UploadedPhoto } from '../api/workflow';
import { useUiStore } from '../state/stores';
import { useSessionStore } from '../state/session';
import { useMapController } from '../map/MapContext';
import { useT } from '../i18n/i18n';
import { shanghaiDateTime, toDateTimeInput } from '../lib/format';
import { defaultFormValues, fromFormValues } from '../lib/featureForm';
import { validateForm, type FormValues } from '../lib/validate';
import type { SimpleGeometry } from '../map/MapController';
import { FeatureForm } from './FeatureForm';
import { GeometryDrawer } from './GeometryEditor';
import { PhotoStrip } from './FindingPhotos';

const ACCEPT = 'image/jpeg,image/png,image/heic,image/heif,image/webp,.heic,.heif';

/** A new finding is open: its status moves with notices and conversion, so the form leaves it out. */
const REPORT = (() => {
  const c = findCollection('findings')!;
  return { ...c, properties: c.properties.filter((p) => p.name !== 'status') };
})();

export function ReportFindingForm() {
  const { t, lang } = useT();
  const c = REPORT;
  const create = useCreateItem();
  const map = useMapController();
  const startCreate = useUiStore((s) => s.startCreate);
  const select = useUiStore((s) => s.select);
  const toast = useUiStore((s) => s.showToast);
  const username = useSessionStore((s) => s.user?.username ?? '');
  const [values, setValues] = useState<FormValues>(() => ({ ...defaultFormValues(c), inspector: username }));
  const [photos, setPhotos] = useState<UploadedPhoto[]>([]);
  const [uploading, setUploading] = useState(false);
  const [geometry, setGeometry] = useState<SimpleGeometry | null>(null);
  const [placeFrom, setPlaceFrom] = useState<'exif' | 'map' | null>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  useEffect(() => () => map?.setSelection(null), [map]);

  const choose = async (files: FileList | null) => {
    if (!files?.length) return;
    setUploading(true);
    setErrors((e) => ({ ...e, photos: [] }));
    const added: UploadedPhoto[] = [];
    for (const file of Array.from(files)) {
      try {
        added.push(await uploadPhoto(file));
      } catch (e) {
        setErrors((x) => ({ ...x, photos: [...(x.photos ?? []), t('finding.uploadFailed', { message: `${file.name}: ${describePhotoError(e, t)}` })] }));
      }
    }
    setUploading(false);
    setPhotos((p) => [...p, ...added]);
    const located = added.find((p) => p.exif.lon !== null && p.exif.lat !== null);
    if (located && placeFrom !== 'map') {
      const point = { type: 'Point', coordinates: [located.exif.lon!, located.exif.lat!] } as SimpleGeometry;
      setGeometry(point);
      setPlaceFrom('exif');
      map?.setSelection({ type: 'Feature', geometry: point, properties: {} });
      map?.flyTo([located.exif.lon!, located.exif.lat!], 16);
    }
    const timed = added.find((p) => p.exif.taken_at);
    if (timed && !values.found_at) setValues((v) => ({ ...v, found_at: toDateTimeInput(timed.exif.taken_at!) }));
  };

  const submit = () => {
    const local: Record<string, string[]> = Object.fromEntries(Object.entries(validateForm(c, values, lang)).map(([k, v]) => [k, [v]]));
    if (!geometry) local.geometry = [t('finding.needPlace')];
    if (Object.keys(local).length) return setErrors(local);
    const properties = { ...fromFormValues(c, values), photo_ids: photos.map((p) => p.id) };
    create.mutate(
      { collection: 'findings', body: { geometry: geometry!, properties } },
      {
        onSuccess: (item) => {
          map?.stopDrawing();
          toast({ key: 'finding.saved', vars: { id: item.id } });
          select({ collection: 'findings', id: item.id });
        },
        onError: (e) => setErrors(errorsByField(e, [...c.properties.map((p) => p.name), 'photo_ids'], (d) => describeReason(d, c, t, lang))),
      },
    );
  };

  const exif = photos.find((p) => p.exif.lon !== null);
  const taken = photos.find((p) => p.exif.taken_at);
  return (
    <div className="panel-body" data-testid="report-finding">
      <div className={`field${errors.photos?.length || errors.photo_ids?.length ? ' has-error' : ''}`}>
        <label htmlFor="finding-photos">{t('finding.choosePhotos')}</label>
        <input id="finding-photos" type="file" accept={ACCEPT} multiple onChange={(e) => void choose(e.target.files)} data-testid="finding-photo-input" />
        {uploading && <p className="hint"><span className="spinner small" /> {t('finding.uploading')}</p>}
        <PhotoStrip ids={photos.map((p) => p.id)} />
        {[...(errors.photos ?? []), ...(errors.photo_ids ?? [])].map((e) => <p key={e} className="field-error" role="alert">{e}</p>)}
        {placeFrom === 'exif' && exif && (
          <p className="hint ok" data-testid="exif-place">{t('finding.exifPlace', { lon: exif.exif.lon!.toFixed(6), lat: exif.exif.lat!.toFixed(6) })}</p>
        )}
        {photos.length > 0 && !exif && placeFrom !== 'map' && <p className="hint">{t('finding.noExif')}</p>}
        {taken && <p className="hint" data-testid="exif-time">{t('finding.exifTime', { time: shanghaiDateTime(taken.exif.taken_at!) })}</p>}
      </div>
      <FeatureForm
        collection={c}
        values={values}
        errors={errors}
        busy={create.isPending || uploading}
        submitLabel={t('finding.save')}
        geometry={
          <GeometryDrawer
            types={['Point']}
            geometry={placeFrom === 'map' ? geometry : null}
            onChange={(g) => {
              if (!g) return;
              setGeometry(g);
              setPlaceFrom('map');
              map?.setSelection(null);
              if (errors.geometry) setErrors({ ...errors, geometry: [] });
            }}
          />
        }
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

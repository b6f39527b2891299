/** A finding's photos as thumbnails; a click opens the original in a new tab. */
import { usePhoto } from '../api/workflow';
import { useT } from '../i18n/i18n';

function Thumb({ id }: { id: number }) {
  const { t } = useT();
  const photo = usePhoto(id);
  const original = `/api/photos/${id}/original`;
  return (
    <li>
      <a href={original} target="_blank" rel="noopener" title={t('finding.openOriginal')} data-testid="finding-photo-link">
        {photo.data && !photo.data.thumbnail_url
          ? <span className="no-thumb">{t('finding.noThumbnail', { mime: photo.data.mime })}</span>
          : <img src={`/api/photos/${id}/thumbnail`} alt={`${t('finding.photos')} #${id}`} loading="lazy" data-testid="finding-photo" />}
      </a>
    </li>
  );
}

export function PhotoStrip({ ids }: { ids: number[] }) {
  if (!ids.length) return null;
  return <ul className="photo-strip">{ids.map((id) => <Thumb key={id} id={id} />)}</ul>;
}

export function FindingPhotos({ ids }: { ids: number[] }) {
  const { t } = useT();
  if (!ids.length) return null;
  return (
    <section className="finding-photos" data-testid="finding-photos">
      <h4>{t('finding.photos')}（{ids.length}）</h4>
      <PhotoStrip ids={ids} />
    </section>
  );
}

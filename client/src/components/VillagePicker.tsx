/** Villages a user looks after, picked from the villages layer by name. */
import { useAllItems } from '../api/queries';
import { useT } from '../i18n/i18n';

export function VillagePicker({ value, onChange, id }: { value: string[]; onChange(v: string[]): void; id: string }) {
  const { t } = useT();
  const villages = useAllItems('villages', true);
  const names = [...new Set((villages.data?.features ?? []).map((f) => String(f.properties.name ?? '')).filter(Boolean))].sort((a, b) => a.localeCompare(b, 'zh-CN'));
  // Villages a user already has but the layer no longer holds stay visible, so they can be removed.
  for (const v of value) if (!names.includes(v)) names.push(v);
  if (villages.isPending) return <p className="hint"><span className="spinner small" /> {t('search.loading')}</p>;
  return (
    <fieldset className="village-picker" id={id} data-testid="village-picker">
      <legend className="visually-hidden">{t('admin.villages')}</legend>
      {names.map((n) => (
        <label key={n} className="check">
          <input type="checkbox" checked={value.includes(n)} onChange={(e) => onChange(e.target.checked ? [...value, n] : value.filter((v) => v !== n))} value={n} />
          {n}
        </label>
      ))}
    </fieldset>
  );
}

/** The filters of one layer: a checkbox per value of each filterable property, and dates. */
import { findCollection } from '../../../server/collections/registry';
import { filterDimensions, isDated, type LayerFilter } from '../map/filters';
import { useLayerStore } from '../state/stores';
import { useT } from '../i18n/i18n';
import { label } from '../lib/format';

export function LayerFilters({ collection }: { collection: string }) {
  const { t, lang } = useT();
  const c = findCollection(collection)!;
  const filter = useLayerStore((s) => s.filters[collection]);
  const setFilter = useLayerStore((s) => s.setFilter);
  const dims = filterDimensions(c);
  const update = (f: LayerFilter) => setFilter(collection, f);
  const temporal = c.properties.find((p) => p.name === c.temporal);

  return (
    <div className="filters" data-testid={`filters-${collection}`}>
      {dims.map((dim) => {
        const selected = filter?.values?.[dim.property] ?? dim.values.map((v) => v.value);
        const set = (values: string[]) => update({ ...filter, values: { ...filter?.values, [dim.property]: values } });
        return (
          <fieldset key={dim.property}>
            <legend>
              {label(dim.label, lang)}
              <span className="filter-bulk">
                <button type="button" className="link" onClick={() => set(dim.values.map((v) => v.value))}>{t('filter.all')}</button>
                <button type="button" className="link" onClick={() => set([])}>{t('filter.none')}</button>
              </span>
            </legend>
            {dim.values.map((v) => (
              <label key={v.value} className="check">
                <input
                  type="checkbox"
                  name={`${collection}.${dim.property}`}
                  value={v.value}
                  checked={selected.includes(v.value)}
                  onChange={(e) => set(e.target.checked ? [...selected, v.value] : selected.filter((x) => x !== v.value))}
                />
                {label(v.label, lang)}
              </label>
            ))}
            {selected.length === 0 && <p className="hint warn">{t('filter.nothingSelected')}</p>}
          </fieldset>
        );
      })}
      {isDated(c) && (
        <fieldset>
          <legend>{t('filter.dateRange', { property: label(temporal?.label, lang) })}</legend>
          <div className="date-range">
            <label>
              {t('filter.from')}
              <input type="date" name={`${collection}.from`} value={filter?.from ?? ''} max={filter?.to || undefined} onChange={(e) => update({ ...filter, from: e.target.value || undefined })} />
            </label>
            <label>
              {t('filter.to')}
              <input type="date" name={`${collection}.to`} value={filter?.to ?? ''} min={filter?.from || undefined} onChange={(e) => update({ ...filter, to: e.target.value || undefined })} />
            </label>
          </div>
        </fieldset>
      )}
      <button type="button" className="link" onClick={() => setFilter(collection, undefined)}>{t('filter.reset')}</button>
    </div>
  );
}

/** The input for one property, chosen by its type in the registry, with its error below. */
import type { CollectionDef, PropertyDef } from '../../../server/collections/registry';
import { useT } from '../i18n/i18n';
import { label } from '../lib/format';

interface Props {
  collection: CollectionDef;
  def: PropertyDef;
  value: string;
  errors?: string[];
  onChange(value: string): void;
}

export function PropertyInput({ collection, def, value, errors, onChange }: Props) {
  const { t, lang } = useT();
  const id = `field-${collection.id}-${def.name}`;
  const errorId = `${id}-error`;
  const common = {
    id,
    name: def.name,
    'aria-invalid': errors?.length ? true : undefined,
    'aria-describedby': errors?.length ? errorId : undefined,
  } as const;
  let input;
  if (def.type === 'enum') {
    input = (
      <select {...common} value={value} onChange={(e) => onChange(e.target.value)}>
        {(!def.required || value === '') && <option value="">{t('feature.choose')}</option>}
        {def.values.map((v) => (
          <option key={v} value={v}>{label(def.valueLabels[v], lang)}</option>
        ))}
      </select>
    );
  } else if (def.type === 'number' || def.type === 'integer') {
    input = <input {...common} type="number" inputMode="decimal" step={def.type === 'integer' ? 1 : 'any'} min={def.min} max={def.max} value={value} onChange={(e) => onChange(e.target.value)} />;
  } else if (def.type === 'date') {
    input = <input {...common} type="date" value={value} onChange={(e) => onChange(e.target.value)} />;
  } else if (def.type === 'datetime') {
    input = <input {...common} type="datetime-local" value={value} onChange={(e) => onChange(e.target.value)} />;
  } else if (def.type === 'text' && def.maxLength > 200) {
    input = <textarea {...common} rows={3} maxLength={def.maxLength} value={value} onChange={(e) => onChange(e.target.value)} />;
  } else if (def.type === 'text') {
    const known = collection.knownCodes?.property === def.name ? collection.knownCodes.labels : undefined;
    input = (
      <>
        <input {...common} type="text" maxLength={def.maxLength} value={value} list={known ? `${id}-codes` : undefined} onChange={(e) => onChange(e.target.value)} />
        {known && (
          <datalist id={`${id}-codes`}>
            {Object.entries(known).map(([code, l]) => (
              <option key={code} value={code}>{label(l, lang)}</option>
            ))}
          </datalist>
        )}
      </>
    );
  }
  return (
    <div className={`field${errors?.length ? ' has-error' : ''}`} data-field={def.name}>
      <label htmlFor={id}>
        {label(def.label, lang)}
        {def.unit && <span className="unit">（{label(def.unit, lang)}）</span>}
        {def.required && <span className="required" title={t('feature.required')}>*</span>}
      </label>
      {input}
      {errors?.map((e) => (
        <p key={e} className="field-error" id={errorId} role="alert">{e}</p>
      ))}
    </div>
  );
}

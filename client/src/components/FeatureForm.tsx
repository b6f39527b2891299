/** The properties form of a feature (edit or create): one input per property, errors by field. */
import type { ReactNode } from 'react';
import type { CollectionDef } from '../../../server/collections/registry';
import type { FormValues } from '../lib/validate';
import { PropertyInput } from './PropertyInput';
import { formProperties } from '../lib/featureForm';
import { useT } from '../i18n/i18n';

interface Props {
  collection: CollectionDef;
  values: FormValues;
  errors: Record<string, string[]>;
  busy: boolean;
  submitLabel: string;
  /** The geometry section (editor or drawer) with its own errors below. */
  geometry?: ReactNode;
  onChange(values: FormValues): void;
  onSubmit(): void;
  onCancel(): void;
}

export function FeatureForm({ collection, values, errors, busy, submitLabel, geometry, onChange, onSubmit, onCancel }: Props) {
  const { t } = useT();
  const fieldErrors = Object.entries(errors).filter(([k]) => k !== '' && k !== 'geometry').length;
  return (
    <form
      className="feature-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
      data-testid="feature-form"
    >
      {geometry && (
        <div className={`field${errors.geometry ? ' has-error' : ''}`} data-field="geometry">
          <span className="field-label">{t('feature.geometry')}</span>
          {geometry}
          {errors.geometry?.map((e) => <p key={e} className="field-error" role="alert">{e}</p>)}
        </div>
      )}
      {formProperties(collection).map((def) => (
        <PropertyInput key={def.name} collection={collection} def={def} value={values[def.name] ?? ''} errors={errors[def.name]} onChange={(v) => onChange({ ...values, [def.name]: v })} />
      ))}
      {errors['']?.map((e) => <p key={e} className="field-error" role="alert">{e}</p>)}
      {fieldErrors > 0 && <p className="form-summary" role="status">{t('feature.errors', { count: fieldErrors })}</p>}
      <div className="actions sticky">
        <button type="button" onClick={onCancel}>{t('feature.cancel')}</button>
        <button type="submit" className="primary" disabled={busy} data-testid="submit-feature">{busy ? t('feature.saving') : submitLabel}</button>
      </div>
    </form>
  );
}

/**
 * 种植与成活率检查 of an afforestation plot in the feature panel: the plot's latest survival check
 * (rate and the seeds' verdict), its planting and check history, and, for those who may change
 * plots, a form for either. A saved record changes the plot (planted 亩, status): the feature,
 * its tiles and the analyses are read again.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, errorsByField } from '../api/http';
import { useLayerStore, useUiStore } from '../state/stores';
import { useT } from '../i18n/i18n';
import type { MessageKey } from '../i18n/catalog';
import { formatNumber } from '../lib/format';
import type { SurvivalOutcome } from '../analysis/model';

interface Planting { id: number; planted_on: string; species: string | null; trees: number | null; planted_mu: number; note: string | null; created_by: string | null }
interface Check { id: number; checked_on: string; sample_planted: number; sample_alive: number; survival_pct: number; outcome: SurvivalOutcome; note: string | null; created_by: string | null }
interface Checks { rule: { pass_min_pct: number; replant_max_pct: number }; latest: Check | null; survival_checks: Check[] }

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const PLOTS = 'afforestation_plots';

function Field({ name, label, errors, children }: { name: string; label: string; errors: Record<string, string[]>; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={`greening-${name}`}>{label}</label>
      {children}
      {errors[name]?.map((e) => <p key={e} className="field-error" role="alert">{e}</p>)}
    </div>
  );
}

/** A small form whose inputs are kept as text and sent as numbers where the server wants them. */
function RecordForm({ id, kind, onDone }: { id: number; kind: 'plantings' | 'survival-checks'; onDone: () => void }) {
  const { t } = useT();
  const toast = useUiStore((s) => s.showToast);
  const fields = kind === 'plantings'
    ? [['planted_on', 'date'], ['species', 'text'], ['trees', 'number'], ['planted_mu', 'number'], ['note', 'text']]
    : [['checked_on', 'date'], ['sample_planted', 'number'], ['sample_alive', 'number'], ['note', 'text']];
  const [values, setValues] = useState<Record<string, string>>({ planted_on: today(), checked_on: today() });
  const save = useMutation({
    mutationFn: () => {
      const body: Record<string, unknown> = {};
      for (const [name, type] of fields) {
        const v = (values[name] ?? '').trim();
        if (v !== '') body[name] = type === 'number' ? Number(v) : v;
      }
      return api(`/api/afforestation_plots/${id}/${kind}`, { method: 'POST', json: body });
    },
    onSuccess: () => {
      toast({ key: 'greening.saved' });
      setValues({ planted_on: today(), checked_on: today() });
      onDone();
    },
  });
  const errors = errorsByField(save.error, fields.map(([n]) => n));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form className="feature-form greening-form" onSubmit={submit} data-testid={`greening-form-${kind}`}>
      {fields.map(([name, type]) => (
        <Field key={name} name={`${kind}-${name}`} label={t(`greening.${name}` as MessageKey)} errors={{ [`${kind}-${name}`]: errors[name] ?? [] }}>
          <input
            id={`greening-${kind}-${name}`}
            name={name}
            type={type}
            step={type === 'number' ? 'any' : undefined}
            max={type === 'date' ? today() : undefined}
            value={values[name] ?? ''}
            onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))}
          />
        </Field>
      ))}
      {errors['']?.map((e) => <p key={e} className="field-error" role="alert">{e}</p>)}
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending} data-testid={`greening-save-${kind}`}>{t('greening.save')}</button>
      </div>
    </form>
  );
}

export function GreeningRecords({ id, writable }: { id: number; writable: boolean }) {
  const { t, lang } = useT();
  const qc = useQueryClient();
  const bump = useLayerStore((s) => s.bumpVersion);
  const [adding, setAdding] = useState<'plantings' | 'survival-checks' | null>(null);
  const plantings = useQuery({ queryKey: ['greening', id, 'plantings'], queryFn: () => api<{ plantings: Planting[] }>(`/api/afforestation_plots/${id}/plantings`) });
  const checks = useQuery({ queryKey: ['greening', id, 'checks'], queryFn: () => api<Checks>(`/api/afforestation_plots/${id}/survival-checks`) });
  const afterSave = () => {
    setAdding(null);
    bump(PLOTS);
    for (const key of [['greening', id], ['item', PLOTS, id], ['all', PLOTS], ['count', PLOTS], ['analysis'], ['audit']]) void qc.invalidateQueries({ queryKey: key });
  };
  const outcome = (o: SurvivalOutcome) => t(`greening.outcome.${o}` as MessageKey);
  const latest = checks.data?.latest;
  const rule = checks.data?.rule;
  return (
    <section className="greening" data-testid="greening-records">
      <h4>{t('greening.title')}</h4>
      {(plantings.isError || checks.isError) && <p className="field-error" role="alert">{t('greening.loadFailed')}</p>}
      {latest && (
        <p className={`greening-latest outcome-${latest.outcome}`} data-testid="greening-latest" data-outcome={latest.outcome}>
          {t('greening.latest', { date: latest.checked_on, pct: formatNumber(latest.survival_pct, lang, 1), outcome: outcome(latest.outcome) })}
        </p>
      )}
      {rule && <p className="hint">{t('greening.rule', { pass: rule.pass_min_pct, gapFrom: rule.replant_max_pct + 1, gapTo: rule.pass_min_pct - 1, replant: rule.replant_max_pct })}</p>}
      <details data-testid="greening-plantings">
        <summary>{t('greening.plantings')}{plantings.data ? ` (${plantings.data.plantings.length})` : ''}</summary>
        {plantings.data?.plantings.length === 0 && <p className="hint">{t('greening.noPlantings')}</p>}
        <ul className="greening-list">
          {plantings.data?.plantings.map((p) => (
            <li key={p.id}>
              {p.planted_on} · {formatNumber(p.planted_mu, lang, 1)} {t('unit.mu')}
              {p.species ? ` · ${p.species}` : ''}{p.trees !== null ? ` · ${formatNumber(p.trees, lang, 0)} ${t('greening.trees')}` : ''}
              {p.note ? ` · ${p.note}` : ''}{p.created_by ? ` · ${p.created_by}` : ''}
            </li>
          ))}
        </ul>
      </details>
      <details data-testid="greening-checks">
        <summary>{t('greening.checks')}{checks.data ? ` (${checks.data.survival_checks.length})` : ''}</summary>
        {checks.data?.survival_checks.length === 0 && <p className="hint">{t('greening.noChecks')}</p>}
        <ul className="greening-list">
          {checks.data?.survival_checks.map((c) => (
            <li key={c.id} data-outcome={c.outcome}>
              {c.checked_on} · {c.sample_alive}/{c.sample_planted} = {formatNumber(c.survival_pct, lang, 1)}% · {outcome(c.outcome)}
              {c.note ? ` · ${c.note}` : ''}{c.created_by ? ` · ${c.created_by}` : ''}
            </li>
          ))}
        </ul>
      </details>
      {writable && (
        <div className="actions">
          <button type="button" onClick={() => setAdding(adding === 'plantings' ? null : 'plantings')} aria-expanded={adding === 'plantings'} data-testid="greening-add-planting">{t('greening.addPlanting')}</button>
          <button type="button" onClick={() => setAdding(adding === 'survival-checks' ? null : 'survival-checks')} aria-expanded={adding === 'survival-checks'} data-testid="greening-add-check">{t('greening.addCheck')}</button>
        </div>
      )}
      {writable && adding && <RecordForm key={adding} id={id} kind={adding} onDone={afterSave} />}
    </section>
  );
}

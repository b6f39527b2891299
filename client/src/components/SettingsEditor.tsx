/**
 * 规则设置 (admins and planners): the setback per road class, the corridor grades and rewards, and
 * (admins only) whether anonymous visitors may read the map. Each rule is saved whole, as the
 * server takes it (PUT /api/settings/{key}); its reasons appear next to their fields.
 */
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ROAD_CLASSES } from '../../../server/collections/registry';
import { api, errorsByField } from '../api/http';
import { useSessionStore } from '../state/session';
import { useUiStore } from '../state/stores';
import { canEditSettings } from '../lib/permissions';
import { label } from '../lib/format';
import { useT } from '../i18n/i18n';
import type { MessageKey } from '../i18n/catalog';

type NumberRule = Record<string, number>;
interface SettingsAnswer {
  settings: Record<string, unknown>;
}

/** The numeric rules: their fields, in order, with the catalogue key of each label and unit. */
const NUMBER_RULES: { key: string; title: MessageKey; fields: { name: string; label?: MessageKey; unit: MessageKey; integer?: boolean }[] }[] = [
  { key: 'setback_m_by_class', title: 'settings.setback', fields: Object.keys(ROAD_CLASSES).map((name) => ({ name, unit: 'unit.m' })) },
  {
    key: 'corridor_grades',
    title: 'settings.grades',
    fields: [
      { name: 'excellent_max_open_points', label: 'settings.excellentMax', unit: 'settings.points', integer: true },
      { name: 'qualified_max_open_points', label: 'settings.qualifiedMax', unit: 'settings.points', integer: true },
      { name: 'qualified_max_open_days', label: 'settings.qualifiedDays', unit: 'settings.days' },
    ],
  },
  {
    key: 'corridor_rewards',
    title: 'settings.rewards',
    fields: [
      { name: 'reward_per_km', label: 'settings.reward', unit: 'settings.yuanPerKm' },
      { name: 'penalty_per_km', label: 'settings.penalty', unit: 'settings.yuanPerKm' },
    ],
  },
];

function useSaveSetting() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ key, value }: { key: string; value: unknown }) => api<unknown>(`/api/settings/${key}`, { method: 'PUT', json: value }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['settings'] });
      // Every analysis reads the rules at each run.
      void qc.invalidateQueries({ queryKey: ['analysis'] });
      void qc.invalidateQueries({ queryKey: ['audit'] });
    },
  });
}

export function SettingsEditor() {
  const { t } = useT();
  const role = useSessionStore((s) => s.user?.role);
  const settings = useQuery({ queryKey: ['settings'], queryFn: () => api<SettingsAnswer>('/api/settings') });
  if (settings.isPending) return <p className="hint"><span className="spinner small" /> {t('admin.loading')}</p>;
  if (settings.isError) {
    return (
      <p className="field-error" role="alert">
        {t('admin.loadFailed', { message: (settings.error as Error).message })}{' '}
        <button type="button" onClick={() => void settings.refetch()}>{t('status.retry')}</button>
      </p>
    );
  }
  return (
    <div className="settings-editor" data-testid="settings-editor">
      <p className="hint">{t('settings.intro')}</p>
      {NUMBER_RULES.map((rule) => (
        <NumberRuleForm key={rule.key} rule={rule} value={(settings.data.settings[rule.key] ?? {}) as NumberRule} />
      ))}
      {canEditSettings(role, 'public_read') && <PublicReadSwitch on={settings.data.settings.public_read === true} />}
    </div>
  );
}

function NumberRuleForm({ rule, value }: { rule: (typeof NUMBER_RULES)[number]; value: NumberRule }) {
  const { t, lang } = useT();
  const save = useSaveSetting();
  const toast = useUiStore((s) => s.showToast);
  const [text, setText] = useState<Record<string, string>>(() => Object.fromEntries(rule.fields.map((f) => [f.name, value[f.name] === undefined ? '' : String(value[f.name])])));
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const dirty = rule.fields.some((f) => text[f.name] !== (value[f.name] === undefined ? '' : String(value[f.name])));
  const submit = () => {
    const local: Record<string, string[]> = {};
    const out: NumberRule = {};
    for (const f of rule.fields) {
      const n = Number(text[f.name]);
      if (text[f.name].trim() === '' || !Number.isFinite(n) || n < 0) local[f.name] = [t('settings.notNegative')];
      else if (f.integer && !Number.isInteger(n)) local[f.name] = [t('settings.wholeNumber')];
      else out[f.name] = n;
    }
    setErrors(local);
    if (Object.keys(local).length) return;
    save.mutate(
      { key: rule.key, value: out },
      {
        onSuccess: () => toast({ key: 'settings.saved', vars: { rule: t(rule.title) } }),
        onError: (e) => setErrors(errorsByField(e, rule.fields.map((f) => f.name))),
      },
    );
  };
  return (
    <form className="settings-rule" noValidate onSubmit={(e) => { e.preventDefault(); submit(); }} data-testid={`setting-${rule.key}`}>
      <h3>{t(rule.title)}</h3>
      <div className="settings-fields">
        {rule.fields.map((f) => {
          const id = `setting-${rule.key}-${f.name}`;
          const name = f.label ? t(f.label) : label(ROAD_CLASSES[f.name as keyof typeof ROAD_CLASSES], lang);
          return (
            <div key={f.name} className={`field${errors[f.name] ? ' has-error' : ''}`}>
              <label htmlFor={id}>{name}（{t(f.unit)}）</label>
              <input id={id} type="number" inputMode="decimal" min={0} step={f.integer ? 1 : 'any'} value={text[f.name]} onChange={(e) => { setText({ ...text, [f.name]: e.target.value }); setErrors({}); }} />
              {errors[f.name]?.map((m) => <p key={m} className="field-error" role="alert">{m}</p>)}
            </div>
          );
        })}
      </div>
      {errors['']?.map((m) => <p key={m} className="field-error" role="alert">{m}</p>)}
      <div className="actions">
        <button type="submit" className="primary" disabled={!dirty || save.isPending}>{save.isPending ? t('feature.saving') : t('feature.save')}</button>
      </div>
    </form>
  );
}

function PublicReadSwitch({ on }: { on: boolean }) {
  const { t } = useT();
  const save = useSaveSetting();
  const toast = useUiStore((s) => s.showToast);
  return (
    <div className="settings-rule" data-testid="setting-public_read">
      <h3>{t('settings.publicRead')}</h3>
      <label className="check">
        <input
          type="checkbox"
          checked={on}
          disabled={save.isPending}
          onChange={(e) => save.mutate({ key: 'public_read', value: e.target.checked }, { onSuccess: () => toast({ key: 'settings.saved', vars: { rule: t('settings.publicRead') } }) })}
        />
        {t('settings.publicReadHint')}
      </label>
      {save.error && <p className="field-error" role="alert">{save.error.message}</p>}
    </div>
  );
}

/** 转为拆除点位 / 转为垃圾点位: one action that makes the feature a finding calls for, then opens it. */
import { useState } from 'react';
import { findCollection } from '../../../server/collections/registry';
import { conversionTarget } from '../../../server/workflow/convert';
import { useConvertFinding } from '../api/workflow';
import { useT } from '../i18n/i18n';
import { label } from '../lib/format';
import { useUiStore } from '../state/stores';

export function ConvertFinding({ id, properties, writable }: { id: number; properties: Record<string, unknown>; writable: boolean }) {
  const { t, lang } = useT();
  const convert = useConvertFinding();
  const select = useUiStore((s) => s.select);
  const toast = useUiStore((s) => s.showToast);
  const [error, setError] = useState<string | null>(null);
  const convertedTo = properties.converted_collection as string | null;
  if (convertedTo) {
    const c = findCollection(convertedTo);
    const targetId = Number(properties.converted_id);
    return (
      <p className="hint ok" data-testid="converted-to">
        {t('finding.convertedTo', { layer: label(c?.title, lang), id: targetId })}{' '}
        <button type="button" className="link" onClick={() => select({ collection: convertedTo, id: targetId })}>{t('finding.open')}</button>
      </p>
    );
  }
  const target = conversionTarget(String(properties.category));
  if (!writable || !target || properties.status === 'verified') return null;
  const run = () => {
    setError(null);
    convert.mutate({ id }, {
      onSuccess: (r) => {
        toast({ key: 'finding.convertDone', vars: { layer: findCollection(r.collection)!.title, id: r.id } });
        select({ collection: r.collection, id: r.id });
      },
      onError: (e) => setError((e as Error).message),
    });
  };
  return (
    <div className="actions">
      <button type="button" onClick={run} disabled={convert.isPending} data-testid="convert-finding">
        {target === 'demolition_sites' ? t('finding.convertDemolition') : t('finding.convertGarbage')}
      </button>
      {error && <p className="field-error" role="alert">{error}</p>}
    </div>
  );
}

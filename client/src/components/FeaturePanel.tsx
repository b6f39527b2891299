/** The right-hand panel (a bottom sheet on phones): the selected feature, or a new one. */
import { findCollection } from '../../../server/collections/registry';
import { useUiStore } from '../state/stores';
import { useT } from '../i18n/i18n';
import { label } from '../lib/format';
import { FeatureDetails } from './FeatureDetails';
import { NewFeatureForm } from './NewFeatureForm';
import { ReportFindingForm } from './ReportFindingForm';

export function FeaturePanel() {
  const { t, lang } = useT();
  const selected = useUiStore((s) => s.selected);
  const creating = useUiStore((s) => s.creating);
  const select = useUiStore((s) => s.select);
  const startCreate = useUiStore((s) => s.startCreate);
  if (!selected && !creating) return null;
  const title = creating === 'findings' ? t('finding.report') : creating ? t('feature.newIn', { layer: label(findCollection(creating)!.title, lang) }) : label(findCollection(selected!.collection)?.title, lang);
  const close = () => (creating ? startCreate(null) : select(null));
  return (
    <aside className="panel feature-panel" aria-label={title} data-testid="feature-panel">
      <div className="panel-head">
        <h2>{title}</h2>
        <button type="button" className="icon-button" onClick={close} aria-label={t('feature.close')} data-testid="close-panel">
          <span aria-hidden="true">✕</span>
        </button>
      </div>
      {creating === 'findings' ? <ReportFindingForm /> : creating ? <NewFeatureForm key={creating} collection={creating} /> : <FeatureDetails key={`${selected!.collection}/${selected!.id}`} collection={selected!.collection} id={selected!.id} />}
    </aside>
  );
}

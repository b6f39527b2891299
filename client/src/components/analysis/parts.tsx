/**
 * Pieces every analysis panel is made of: the parameter form with its Run button and CSV link,
 * one labelled parameter with its error, road and village pickers, result tables, big numbers,
 * the loading/error state, and the legend of what the analysis draws on the map.
 */
import { useEffect, useMemo, type ReactNode } from 'react';
import { ROAD_CLASSES } from '../../../../server/collections/registry';
import { useAllItems } from '../../api/queries';
import type { AnalysisHandle } from '../../analysis/useAnalysis';
import { roadList, type AnalysisKind } from '../../analysis/model';
import { useAnalysisStore } from '../../state/stores';
import { useT } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/catalog';
import { formatNumber, label } from '../../lib/format';
import { ANALYSIS_STYLE } from '../../map/layers';

export function AnalysisForm<K extends AnalysisKind>({ a, children }: { a: AnalysisHandle<K>; children: ReactNode }) {
  const { t } = useT();
  const running = a.query.isFetching;
  const blocked = Object.keys(a.problems).length > 0;
  return (
    <form
      className="analysis-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        a.run();
      }}
      data-testid={`analysis-form-${a.kind}`}
    >
      <div className="param-grid">{children}</div>
      {a.serverErrors['']?.map((m) => <p key={m} className="field-error" role="alert">{m}</p>)}
      <div className="analysis-actions">
        <button type="submit" className="primary" disabled={blocked || running} data-testid="analysis-run">
          {running ? t('analysis.running') : t('analysis.run')}
        </button>
        <a className="button-link" href={a.csvHref} download title={t('analysis.csvTitle')} data-testid="analysis-csv">
          {t('analysis.csv')}
        </a>
        <a className="button-link" href={a.xlsxHref} download title={t('analysis.xlsxTitle')} data-testid="analysis-xlsx">
          {t('analysis.xlsx')}
        </a>
        {a.shapeHrefs && (
          <>
            <a className="button-link" href={a.shapeHrefs.shp} download data-testid="analysis-shp">Shapefile</a>
            <a className="button-link" href={a.shapeHrefs.kml} download data-testid="analysis-kml">KML</a>
          </>
        )}
        {a.dirty && <span className="hint warn">{t('analysis.dirty')}</span>}
      </div>
    </form>
  );
}

/** One parameter: label, input (the child), and why the value cannot be used. */
export function ParamField<K extends AnalysisKind>({ a, name, labelKey, hint, children, wide }: { a: AnalysisHandle<K>; name: string; labelKey: MessageKey; hint?: string; children: ReactNode; wide?: boolean }) {
  const { t } = useT();
  const p = a.problems[name];
  const local = p ? t(`analysis.problem.${p.problem}` as MessageKey, { max: p.max }) : undefined;
  const messages = local ? [local] : a.serverErrors[name] ?? [];
  return (
    <div className={`field${messages.length ? ' has-error' : ''}${wide ? ' wide' : ''}`} data-field={name}>
      <label htmlFor={paramId(a.kind, name)}>{t(labelKey)}</label>
      {children}
      {hint && !messages.length && <p className="hint">{hint}</p>}
      {messages.map((m) => <p key={m} className="field-error" role="alert">{m}</p>)}
    </div>
  );
}

export const paramId = (kind: string, name: string) => `analysis-${kind}-${name}`;

/** A text/number/month input bound to a draft parameter. */
export function ParamInput<K extends AnalysisKind>({ a, name, type = 'number', placeholder, min, max, step }: { a: AnalysisHandle<K>; name: string; type?: 'number' | 'month' | 'text'; placeholder?: string; min?: number | string; max?: number | string; step?: number | string }) {
  return (
    <input
      id={paramId(a.kind, name)}
      name={name}
      type={type}
      inputMode={type === 'number' ? 'decimal' : undefined}
      value={a.draft[name] ?? ''}
      placeholder={placeholder}
      min={min}
      max={max}
      step={step}
      aria-invalid={a.problems[name] ? true : undefined}
      onChange={(e) => a.set(name, e.target.value)}
    />
  );
}

const CODE_ORDER = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** Road codes grouped by class, as checkboxes in a drop-down; nothing ticked means every road. */
export function RoadPicker<K extends AnalysisKind>({ a, name = 'roads' }: { a: AnalysisHandle<K>; name?: string }) {
  const { t, lang } = useT();
  const roads = useAllItems('roads', true);
  const selected = roadList(a.draft[name]);
  const groups = useMemo(() => {
    const byClass = new Map<string, Set<string>>();
    for (const f of roads.data?.features ?? []) {
      const cls = String(f.properties.class ?? 'village');
      const code = String(f.properties.code ?? '');
      if (code) (byClass.get(cls) ?? byClass.set(cls, new Set()).get(cls)!).add(code);
    }
    return Object.keys(ROAD_CLASSES).filter((c) => byClass.has(c)).map((c) => ({ cls: c, codes: [...byClass.get(c)!].sort(CODE_ORDER) }));
  }, [roads.data]);
  const set = (codes: string[]) => a.set(name, [...new Set(codes)].sort(CODE_ORDER).join(','));
  return (
    <details className="road-picker" data-testid={`road-picker-${a.kind}`}>
      <summary id={paramId(a.kind, name)} data-testid="road-picker-summary">
        {selected.length ? selected.join(', ') : t('analysis.roadsAll')}
      </summary>
      <div className="road-picker-body">
        {roads.isPending && <span className="spinner small" />}
        {groups.map((g) => (
          <fieldset key={g.cls}>
            <legend>{label(ROAD_CLASSES[g.cls as keyof typeof ROAD_CLASSES], lang)}</legend>
            {g.codes.map((code) => (
              <label key={code} className="check">
                <input
                  type="checkbox"
                  name={`${name}-code`}
                  value={code}
                  checked={selected.includes(code)}
                  onChange={(e) => set(e.target.checked ? [...selected, code] : selected.filter((c) => c !== code))}
                />
                {code}
              </label>
            ))}
          </fieldset>
        ))}
        <button type="button" className="link" onClick={() => set([])}>{t('analysis.roadsNone')}</button>
      </div>
    </details>
  );
}

/** The roads parameter every road analysis has, as a full-width field. */
export function RoadsField<K extends AnalysisKind>({ a }: { a: AnalysisHandle<K> }) {
  return (
    <ParamField a={a} name="roads" labelKey="analysis.roads" wide>
      <RoadPicker a={a} />
    </ParamField>
  );
}

/** The corridor width (metres either side of the centre line) of the corridor and rewards analyses. */
export function CorridorWidthField<K extends AnalysisKind>({ a }: { a: AnalysisHandle<K> }) {
  return (
    <ParamField a={a} name="corridor_m" labelKey="analysis.corridor.width">
      <ParamInput a={a} name="corridor_m" min={0} max={500} step="any" placeholder="30" />
    </ParamField>
  );
}

/** The villages from the villages layer, with "all" first. */
export function VillageSelect<K extends AnalysisKind>({ a, name = 'village' }: { a: AnalysisHandle<K>; name?: string }) {
  const { t } = useT();
  const villages = useAllItems('villages', true);
  const names = useMemo(
    () => [...new Set((villages.data?.features ?? []).map((f) => String(f.properties.name ?? '')).filter(Boolean))].sort((x, y) => x.localeCompare(y, 'zh')),
    [villages.data],
  );
  return (
    <select id={paramId(a.kind, name)} name={name} value={a.draft[name] ?? ''} onChange={(e) => a.set(name, e.target.value)}>
      <option value="">{t('analysis.villageAll')}</option>
      {names.map((n) => <option key={n} value={n}>{n}</option>)}
    </select>
  );
}

/** Spinner while computing; the reason and a retry when it failed; the result otherwise. */
export function ResultState<K extends AnalysisKind>({ a, children }: { a: AnalysisHandle<K>; children: (data: NonNullable<AnalysisHandle<K>['query']['data']>) => ReactNode }) {
  const { t } = useT();
  const q = a.query;
  if (q.isError && !q.data) {
    return (
      <div className="notice error" role="alert" data-testid="analysis-error">
        {t('analysis.failed', { message: q.error.message })}
        <button type="button" onClick={() => void q.refetch()}>{t('status.retry')}</button>
      </div>
    );
  }
  if (!q.data) {
    return <p className="hint" data-testid="analysis-loading"><span className="spinner small" /> {t('analysis.running')}</p>;
  }
  return (
    <div className={`analysis-result${q.isFetching ? ' refreshing' : ''}`} data-testid="analysis-result" aria-busy={q.isFetching}>
      {q.isError && (
        <div className="notice error" role="alert">
          {t('analysis.failed', { message: q.error.message })}
          <button type="button" onClick={() => void q.refetch()}>{t('status.retry')}</button>
        </div>
      )}
      {children(q.data as NonNullable<AnalysisHandle<K>['query']['data']>)}
    </div>
  );
}

export function Stat({ labelText, value, unit, sub, testid, tone }: { labelText: string; value: string; unit?: string; sub?: string; testid?: string; tone?: 'good' | 'bad' }) {
  return (
    <div className={`stat${tone ? ` ${tone}` : ''}`} data-testid={testid}>
      <span className="stat-label">{labelText}</span>
      <span className="stat-value"><strong data-value>{value}</strong>{unit && <span className="stat-unit"> {unit}</span>}</span>
      {sub && <span className="stat-sub">{sub}</span>}
    </div>
  );
}

export interface Column<T> {
  key: string;
  header: string;
  value(row: T): string | number | null | undefined;
  /** Decimals for numbers (the server's rounding, so the text equals the API's value). */
  digits?: number;
  render?(row: T): ReactNode;
}

/** Reward, penalty and their sum in yuan: the last columns of the ledger and of the rewards table. */
export function moneyColumns<T extends { reward_yuan: number; penalty_yuan: number; total_yuan: number }>(t: (k: MessageKey) => string): Column<T>[] {
  return [
    { key: 'reward_yuan', header: t('col.reward_yuan'), value: (x) => x.reward_yuan, digits: 2 },
    { key: 'penalty_yuan', header: t('col.penalty_yuan'), value: (x) => x.penalty_yuan, digits: 2 },
    { key: 'total_yuan', header: t('col.total_yuan'), value: (x) => x.total_yuan, digits: 2 },
  ];
}

export function DataTable<T>({ columns, rows, rowKey, onRowClick, testid, caption, total, empty, tall }: {
  columns: Column<T>[];
  rows: T[];
  rowKey(row: T, i: number): string | number;
  onRowClick?(row: T): void;
  testid: string;
  caption: string;
  total?: T;
  empty?: string;
  tall?: boolean;
}) {
  const { t, lang } = useT();
  const cell = (c: Column<T>, r: T) => {
    if (c.render) return c.render(r);
    const v = c.value(r);
    if (v === null || v === undefined || v === '') return '—';
    return typeof v === 'number' ? formatNumber(v, lang, c.digits ?? 2) : v;
  };
  const numeric = (c: Column<T>) => !c.render && rows.some((r) => typeof c.value(r) === 'number');
  return (
    <section className="analysis-section" data-testid={testid}>
      <h4>{caption}{rows.length > 8 && <span className="hint"> · {t('analysis.rows', { count: rows.length })}</span>}</h4>
      {rows.length === 0 ? (
        <p className="hint">{empty ?? t('analysis.empty')}</p>
      ) : (
        <div className={`table-wrap${tall ? ' tall' : ''}`}>
          <table className="data-table">
            <thead>
              <tr>{columns.map((c) => <th key={c.key} scope="col" className={numeric(c) ? 'num' : undefined}>{c.header}</th>)}</tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr
                  key={rowKey(r, i)}
                  data-row={rowKey(r, i)}
                  className={onRowClick ? 'clickable' : undefined}
                  tabIndex={onRowClick ? 0 : undefined}
                  onClick={onRowClick ? () => onRowClick(r) : undefined}
                  onKeyDown={onRowClick ? (e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      onRowClick(r);
                    }
                  } : undefined}
                >
                  {columns.map((c) => <td key={c.key} data-col={c.key} className={numeric(c) ? 'num' : undefined}>{cell(c, r)}</td>)}
                </tr>
              ))}
            </tbody>
            {total && (
              <tfoot>
                <tr data-row="total">{columns.map((c) => <td key={c.key} data-col={c.key} className={numeric(c) ? 'num' : undefined}>{cell(c, total)}</td>)}</tr>
              </tfoot>
            )}
          </table>
        </div>
      )}
    </section>
  );
}

/** Hands the panel's map features to the map while the panel is open. */
export function useOverlay(overlay: GeoJSON.FeatureCollection | null | undefined): void {
  const setOverlay = useAnalysisStore((s) => s.setOverlay);
  useEffect(() => setOverlay(overlay ?? null), [overlay, setOverlay]);
  useEffect(() => () => setOverlay(null), [setOverlay]);
}

export function ShowOnMap() {
  const { t } = useT();
  const on = useAnalysisStore((s) => s.showOnMap);
  const set = useAnalysisStore((s) => s.setShowOnMap);
  return (
    <label className="check">
      <input type="checkbox" checked={on} onChange={(e) => set(e.target.checked)} data-testid="analysis-show-on-map" />
      {t('analysis.showOnMap')}
    </label>
  );
}

type LegendEntry = 'band' | 'complies' | 'violates' | 'violation' | 'uncovered' | 'suggested' | 'patrolCovered' | 'patrolEarlier' | 'patrolNever' | 'patrolTrack';

/** The legend of the analysis overlay, drawn like the map draws it. */
export function OverlayLegend({ entries }: { entries: LegendEntry[] }) {
  const { t } = useT();
  const swatch = (e: LegendEntry) => {
    switch (e) {
      case 'band':
        return <rect x="2" y="3" width="24" height="10" fill={ANALYSIS_STYLE.band} fillOpacity="0.3" stroke={ANALYSIS_STYLE.band} strokeDasharray="3 2" />;
      case 'complies':
        return <line x1="2" y1="8" x2="26" y2="8" stroke={ANALYSIS_STYLE.complies} strokeWidth="5" />;
      case 'violates':
      case 'uncovered':
        return <line x1="2" y1="8" x2="26" y2="8" stroke={ANALYSIS_STYLE.violates} strokeWidth="5" strokeDasharray="6 4" />;
      case 'patrolCovered':
        return <line x1="2" y1="8" x2="26" y2="8" stroke={ANALYSIS_STYLE.patrolCovered} strokeWidth="5" />;
      case 'patrolEarlier':
        return <line x1="2" y1="8" x2="26" y2="8" stroke={ANALYSIS_STYLE.patrolEarlier} strokeWidth="5" strokeDasharray="6 4" />;
      case 'patrolNever':
        return <line x1="2" y1="8" x2="26" y2="8" stroke={ANALYSIS_STYLE.patrolNever} strokeWidth="5" strokeDasharray="2 3" />;
      case 'patrolTrack':
        return <line x1="2" y1="8" x2="26" y2="8" stroke={ANALYSIS_STYLE.patrolTrack} strokeWidth="1.5" />;
      case 'violation':
        return <circle cx="14" cy="8" r="6" fill="rgba(213,94,0,0.18)" stroke={ANALYSIS_STYLE.violates} strokeWidth="2.5" />;
      case 'suggested':
        return (
          <>
            <circle cx="14" cy="8" r="6.5" fill="#fff" stroke={ANALYSIS_STYLE.suggested} strokeWidth="2.5" />
            <text x="14" y="11" fontSize="9" textAnchor="middle" fill={ANALYSIS_STYLE.suggested} fontWeight="700">1</text>
          </>
        );
    }
  };
  return (
    <div className="overlay-legend" aria-label={t('analysis.legend')}>
      <ShowOnMap />
      <ul>
        {entries.map((e) => (
          <li key={e}>
            <svg className="swatch" width="28" height="16" aria-hidden="true">{swatch(e)}</svg>
            {t(`analysis.legend.${e}` as MessageKey)}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A village name, or "(no village)" for road stretches outside every village. */
export function villageName(name: string | null | undefined, t: (k: MessageKey) => string): string {
  return name ? name : t('analysis.noVillage');
}

/** Centre of a geometry's bounding box (for flying to it). */
export function centreOf(g: GeoJSON.Geometry): [number, number] | null {
  const xs: number[] = [];
  const ys: number[] = [];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      xs.push(c[0] as number);
      ys.push(c[1] as number);
    } else if (Array.isArray(c)) c.forEach(walk);
  };
  if (g.type === 'GeometryCollection') g.geometries.forEach((x) => walk((x as GeoJSON.Point).coordinates));
  else walk(g.coordinates);
  if (!xs.length) return null;
  return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
}

/**
 * Import a file into one layer: choose the file, its coordinate system and encoding, check it
 * (a dry run: the server converts and validates every row and writes nothing), map the file's
 * fields to the layer's properties (remembered for files with the same fields), see every
 * invalid row and the first rows, then import (one transaction on the server).
 */
import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { findCollection } from '../../../../server/collections/registry';
import { useLayerStore } from '../../state/stores';
import { useMapController } from '../../map/MapContext';
import { useT } from '../../i18n/i18n';
import { label } from '../../lib/format';
import { IMPORT_CRS } from './formats';
import { describeFileError, describeReasons } from '../../lib/reasons';
import { checkFile, firstPosition, previewOnMap, importFile, rememberedMapping, rememberMapping, type DryRun, type ImportOptions } from './importModel';

export function ImportDialog({ collection, onClose }: { collection: string; onClose(): void }) {
  const { t, lang } = useT();
  const c = findCollection(collection)!;
  const ref = useRef<HTMLDialogElement>(null);
  const qc = useQueryClient();
  const bump = useLayerStore((s) => s.bumpVersion);
  const [file, setFile] = useState<File | null>(null);
  const [opts, setOpts] = useState<ImportOptions>({ crs: '', encoding: '', mapping: {} });
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [check, setCheck] = useState<DryRun | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; detail?: string } | null>(null);
  const [done, setDone] = useState<number | null>(null);

  const map = useMapController();
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  // The first rows, converted to WGS84 by the server, outlined on the map behind the dialog.
  useEffect(() => {
    if (!map) return;
    const shown = check ? previewOnMap(check) : null;
    map.showPreview(shown?.features ?? []);
    if (shown?.bbox) map.fitBounds(shown.bbox);
  }, [map, check]);
  useEffect(() => () => map?.showPreview([]), [map]);

  async function run(f: File, o: ImportOptions, first = false) {
    setBusy(true);
    setError(null);
    try {
      let r = await checkFile(collection, f, o);
      const remembered = first && r.fields ? rememberedMapping(collection, r.fields) : undefined;
      if (remembered) {
        o = { ...o, mapping: remembered };
        r = await checkFile(collection, f, o);
      }
      setOpts({ ...o, mapping: r.mapping ?? o.mapping });
      setCheck(r);
    } catch (e) {
      setCheck(null);
      setError(describeFileError(e, t));
    } finally {
      setBusy(false);
    }
  }

  async function write() {
    if (!file || !check) return;
    setBusy(true);
    setError(null);
    try {
      const r = await importFile(collection, file, { ...opts, skipInvalid });
      if (check.fields) rememberMapping(collection, check.fields, opts.mapping);
      setDone(r.imported);
      bump(collection);
      for (const k of ['count', 'all', 'collections', 'analysis', 'audit']) void qc.invalidateQueries({ queryKey: [k] });
    } catch (e) {
      setError(describeFileError(e, t));
    } finally {
      setBusy(false);
    }
  }

  const setOpt = (patch: Partial<ImportOptions>) => {
    const o = { ...opts, ...patch };
    setOpts(o);
    if (file) void run(file, o);
  };
  const canImport = check && check.count > 0 && (check.invalid.length === 0 || skipInvalid) && !busy && done === null;

  return (
    <dialog ref={ref} className="form-dialog import-dialog" onCancel={(e) => { e.preventDefault(); onClose(); }} aria-labelledby="import-title" data-testid="import-dialog">
      <h3 id="import-title">{t('files.importInto', { name: label(c.title, lang) })}</h3>
      <p className="hint">{t('files.formatsHint')}</p>
      <div className="field">
        <label htmlFor="import-file">{t('files.file')}</label>
        <input id="import-file" type="file" accept=".zip,.geojson,.json,.gpkg,.kml,.kmz,.gpx,.csv,.xlsx" data-testid="import-file"
          onChange={(e) => { const f = e.target.files?.[0] ?? null; setFile(f); setDone(null); setCheck(null); if (f) void run(f, { ...opts, mapping: {} }, true); }} />
      </div>
      <div className="param-grid">
        <div className="field">
          <label htmlFor="import-crs">{t('files.crs')}</label>
          <select id="import-crs" value={opts.crs} onChange={(e) => setOpt({ crs: e.target.value })} data-testid="import-crs">
            {IMPORT_CRS.map((x) => <option key={x.value} value={x.value}>{x.value ? x.label : t('files.crsAuto')}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="import-encoding">{t('files.encoding')}</label>
          <select id="import-encoding" value={opts.encoding} onChange={(e) => setOpt({ encoding: e.target.value })}>
            <option value="">{t('files.encodingAuto')}</option>
            <option value="gbk">GBK</option>
            <option value="utf-8">UTF-8</option>
          </select>
        </div>
      </div>
      {busy && <p className="hint"><span className="spinner small" /> {t('files.checking')}</p>}
      {error && (
        <div className="field-error" role="alert" data-testid="import-error">
          <p>{error.text}</p>
          {error.detail && <p className="hint">{t('files.errorDetail', { detail: error.detail })}</p>}
        </div>
      )}
      {check && (
        <>
          <p data-testid="import-summary">{t('files.summary', { format: check.format ?? 'geojson', crs: check.crs ?? 'WGS 84', count: check.count, invalid: check.invalid.length })}</p>
          {check.file_warnings?.map((w) => <p key={w} className="hint warn">{w}</p>)}
          <MappingTable collection={collection} fields={check.fields ?? []} mapping={opts.mapping} onChange={(mapping) => setOpt({ mapping })} />
          <Preview check={check} collection={collection} />
          {check.invalid.length > 0 && (
            <div className="import-invalid" data-testid="import-invalid">
              <h4>{t('files.invalidRows', { count: check.invalid.length })}</h4>
              <ul>{check.invalid.slice(0, 200).map((r) => <li key={r.index}>{t('files.rowReason', { n: r.index + 1, reason: describeReasons(r.errors, r.reason, c, t, lang) })}</li>)}</ul>
              <label className="check"><input type="checkbox" checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} /> {t('files.skipInvalid')}</label>
            </div>
          )}
        </>
      )}
      {done !== null && <p className="notice" role="status" data-testid="import-done">{t('files.done', { count: done })}</p>}
      <div className="actions">
        <button type="button" onClick={onClose}>{done !== null ? t('files.close') : t('files.cancel')}</button>
        <button type="button" className="primary" disabled={!canImport} onClick={() => void write()} data-testid="import-submit">
          {t('files.import', { count: check ? (skipInvalid ? check.count : check.count) : 0 })}
        </button>
      </div>
    </dialog>
  );
}

function MappingTable({ collection, fields, mapping, onChange }: { collection: string; fields: string[]; mapping: Record<string, string>; onChange(m: Record<string, string>): void }) {
  const { t, lang } = useT();
  const c = findCollection(collection)!;
  if (!fields.length) return null;
  return (
    <table className="mapping-table" data-testid="import-mapping">
      <thead><tr><th>{t('files.property')}</th><th>{t('files.sourceField')}</th></tr></thead>
      <tbody>
        {c.properties.map((p) => (
          <tr key={p.name}>
            <td>{label(p.label, lang)}{p.required ? ' *' : ''}</td>
            <td>
              <select value={mapping[p.name] ?? ''} aria-label={label(p.label, lang)} data-testid={`mapping-${p.name}`}
                onChange={(e) => { const m = { ...mapping }; if (e.target.value) m[p.name] = e.target.value; else delete m[p.name]; onChange(m); }}>
                <option value="">{t('files.notMapped')}</option>
                {fields.map((f) => <option key={f} value={f}>{f}</option>)}
              </select>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Preview({ check, collection }: { check: DryRun; collection: string }) {
  const { t, lang } = useT();
  const c = findCollection(collection)!;
  if (!check.preview.length) return null;
  return (
    <div className="import-preview">
      <h4>{t('files.preview', { count: check.preview.length })}</h4>
      <table data-testid="import-preview">
        <thead><tr><th>#</th>{c.properties.map((p) => <th key={p.name}>{label(p.label, lang)}</th>)}<th>{t('files.position')}</th></tr></thead>
        <tbody>
          {check.preview.map((f, i) => (
            <tr key={i} className={check.invalid.some((r) => r.index === i) ? 'invalid' : undefined}>
              <td>{i + 1}</td>
              {c.properties.map((p) => <td key={p.name}>{f.properties[p.name] == null ? '' : String(f.properties[p.name])}</td>)}
              <td>{firstPosition(f.geometry)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

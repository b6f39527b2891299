/** The analysis model (URLs, parameter checks, sums), its map layers, and the link format. */
import { describe, it, expect } from 'vitest';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import {
  analysisPath, checkParams, defaultParams, shanghaiMonth, sumGroups, gradeSummary, facilitiesOverlay, numbered, roadList, ANALYSES,
  type AfforestationGroup, type FacilitiesResult,
} from '../../../client/src/analysis/model';
import { analysisLayers, mapSpec, LAYER_IDS, ANALYSIS_CLICKABLE, type LayerOptions } from '../../../client/src/map/layers';
import { decodeUrlState, encodeUrlState } from '../../../client/src/state/urlState';

const NOW = new Date('2026-11-23T12:00:00Z');

describe('analysis URLs', () => {
  it('put the parameters in a fixed order, leave out empty ones, and add f for CSV/GeoJSON only', () => {
    expect(analysisPath('setback', { village: '', roads: 'S225,G206', reference: 'edge', distance_m: '10' })).toBe('/api/analysis/setback?distance_m=10&reference=edge&roads=S225,G206');
    expect(analysisPath('setback', { roads: 'S225', distance_m: '10', reference: 'edge' }, 'csv')).toBe('/api/analysis/setback?distance_m=10&reference=edge&roads=S225&f=csv');
    expect(analysisPath('setback', defaultParams('setback'), 'geojson')).toBe('/api/analysis/setback?reference=centerline&f=geojson');
    expect(analysisPath('afforestation', { year: '', village: '', species: '' })).toBe('/api/analysis/afforestation');
    expect(analysisPath('afforestation', { village: '包集村', species: '石榴', year: '2025' })).toBe(`/api/analysis/afforestation?year=2025&village=${encodeURIComponent('包集村')}&species=${encodeURIComponent('石榴')}`);
    expect(analysisPath('green-corridor', { distance_m: ' 50 ', roads: '' })).toBe('/api/analysis/green-corridor?distance_m=50');
  });

  it('make the CSV link the table\'s URL plus f=csv', () => {
    for (const kind of ANALYSES) {
      const p = defaultParams(kind, NOW);
      const json = analysisPath(kind, p);
      const csv = analysisPath(kind, p, 'csv');
      expect(csv).toBe(json.includes('?') ? `${json}&f=csv` : `${json}?f=csv`);
    }
  });

  it('start monthly analyses on the last complete month in Asia/Shanghai', () => {
    expect(shanghaiMonth(NOW)).toBe('2026-11');
    expect(shanghaiMonth(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12'); // already December in Shanghai
    expect(shanghaiMonth(new Date('2026-01-10T00:00:00Z'), -1)).toBe('2025-12');
    expect(defaultParams('corridor', NOW)).toEqual({ month: '2026-10', corridor_m: '30', roads: '' });
    expect(defaultParams('rewards', NOW)).toMatchObject({ from: '2026-01', to: '2026-10' });
  });
});

describe('analysis parameter checks', () => {
  it('refuse what the server would refuse, naming the parameter', () => {
    expect(checkParams('setback', { distance_m: '' })).toEqual({});
    expect(checkParams('setback', { distance_m: '-1' })).toEqual({ distance_m: { problem: 'positive' } });
    expect(checkParams('setback', { distance_m: 'ten' })).toEqual({ distance_m: { problem: 'number' } });
    expect(checkParams('setback', { distance_m: '1001' })).toEqual({ distance_m: { problem: 'max', max: 1000 } });
    expect(checkParams('facilities', { distance_m: '500', suggest: '2.5' })).toEqual({ suggest: { problem: 'integer', max: 50 } });
    expect(checkParams('corridor', { month: '2026-13' }, NOW)).toEqual({ month: { problem: 'month' } });
    expect(checkParams('corridor', { month: '2026-12' }, NOW)).toEqual({ month: { problem: 'future' } });
    expect(checkParams('corridor', { month: '2026-11', corridor_m: '30' }, NOW)).toEqual({});
    expect(checkParams('rewards', { from: '' }, NOW)).toEqual({ from: { problem: 'month' } });
    expect(checkParams('rewards', { from: '2026-09', to: '2026-08' }, NOW)).toEqual({ to: { problem: 'monthOrder' } });
    expect(checkParams('afforestation', { year: '1900' })).toEqual({ year: { problem: 'year' } });
    for (const kind of ANALYSES) expect(checkParams(kind, defaultParams(kind, NOW), NOW), kind).toEqual({});
  });

  it('read road lists', () => {
    expect(roadList(' S225, G206 ,,')).toEqual(['S225', 'G206']);
    expect(roadList(undefined)).toEqual([]);
  });
});

describe('analysis summaries', () => {
  const g = (village: string | null, year: number, species: string, planned_mu: number, planted_mu: number): AfforestationGroup =>
    ({ village, year, species, plots: 1, planned_mu, planted_mu, area_mu: planned_mu, completion_pct: 0 });

  it('sum afforestation groups by village, year or species with completion from the sums', () => {
    const groups = [g('包集村', 2025, '石榴', 10, 5), g('包集村', 2026, '杨树', 30, 30), g('陈圩村', 2025, '石榴', 20.05, 0)];
    expect(sumGroups(groups, 'village')).toEqual([
      { key: '包集村', plots: 2, planned_mu: 40, planted_mu: 35, area_mu: 40, completion_pct: 87.5 },
      { key: '陈圩村', plots: 1, planned_mu: 20.1, planted_mu: 0, area_mu: 20.1, completion_pct: 0 },
    ]);
    expect(sumGroups(groups, 'year').map((r) => [r.key, r.planned_mu])).toEqual([[2025, 30.1], [2026, 30]]);
    expect(sumGroups(groups, 'species').map((r) => r.key)).toEqual(['杨树', '石榴'].sort((a, b) => a.localeCompare(b, 'zh')));
  });

  it('count corridor grades and their kilometres', () => {
    const u = (grade: 'excellent' | 'qualified' | 'unqualified', length_m: number) => ({ road_code: 'S225', stake: 'K0+000', length_m, village: null, open_points: 0, open_point_days: 0, max_open_days: 0, grade });
    expect(gradeSummary([u('excellent', 1000), u('excellent', 386), u('unqualified', 1000)])).toEqual({
      excellent: { units: 2, km: 1.386 }, qualified: { units: 0, km: 0 }, unqualified: { units: 1, km: 1 },
    });
  });

  it('turn facility coverage into numbered map features', () => {
    const r = {
      uncovered: { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'LineString', coordinates: [[117, 33], [117.01, 33]] }, properties: { road_code: 'G206', uncovered_m: 838.4 } }] },
      suggested_sites: [{ rank: 1, lon: 117.1, lat: 32.9, covers_m: 408.1 }],
    } as unknown as FacilitiesResult;
    const fc = facilitiesOverlay(r);
    expect(fc.features.map((f) => [f.id, f.properties!.layer])).toEqual([[1, 'uncovered'], [2, 'suggested_site']]);
    expect(fc.features[1].geometry).toEqual({ type: 'Point', coordinates: [117.1, 32.9] });
    expect(numbered({ features: [{ type: 'Feature', geometry: null as never, properties: {} }] }).features).toEqual([]);
  });
});

describe('analysis map layers', () => {
  const base: LayerOptions = { origin: 'http://127.0.0.1:8080', visible: {}, filters: {}, versions: {}, basemap: null };
  const overlay: GeoJSON.FeatureCollection = {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', id: 1, geometry: { type: 'Point', coordinates: [117.2, 32.9] }, properties: { layer: 'violation', distance_m: 8.19, stake: 'K4+843' } }],
  };

  it('are valid MapLibre layers with stable ids, the band under the roads and the units over them', () => {
    const spec = mapSpec({ ...base, analysis: overlay });
    expect(validateStyleMin({ version: 8, sources: spec.sources, layers: spec.layers })).toEqual([]);
    const ids = spec.layers.map((l) => l.id);
    for (const id of LAYER_IDS.analysis) expect(ids).toContain(id);
    for (const id of ANALYSIS_CLICKABLE) expect(ids).toContain(id);
    expect(ids.indexOf('analysis-band-fill')).toBeLessThan(ids.indexOf('roads-line'));
    expect(ids.indexOf('analysis-unit')).toBeGreaterThan(ids.indexOf('roads-line'));
    expect(ids.indexOf('analysis-violation')).toBeLessThan(ids.indexOf('demolition_sites-symbol'));
    expect(ids.indexOf('analysis-violation-label')).toBeGreaterThan(ids.indexOf('garbage_points-cluster'));
    expect(mapSpec(base).layers.map((l) => l.id)).toEqual(ids);
  });

  it('carry the overlay as GeoJSON data (empty without one) and label distances in the user\'s language', () => {
    expect((mapSpec(base).sources.analysis as { data: GeoJSON.FeatureCollection }).data.features).toEqual([]);
    expect((mapSpec({ ...base, analysis: overlay }).sources.analysis as { data: unknown }).data).toBe(overlay);
    const label = (lang: 'zh' | 'en') => analysisLayers({ ...base, lang }).labels.layers.find((l) => l.id === 'analysis-violation-label') as { layout: { 'text-field': unknown } };
    expect(JSON.stringify(label('zh').layout['text-field'])).toContain(' 米');
    expect(JSON.stringify(label('en').layout['text-field'])).toContain(' m');
  });

  it('tell complying and failing units apart by dash as well as colour', () => {
    const unit = analysisLayers(base).over.layers.find((l) => l.id === 'analysis-unit') as { paint: Record<string, unknown> };
    expect(JSON.stringify(unit.paint['line-dasharray'])).toContain('complies');
    expect(JSON.stringify(unit.paint['line-color'])).toContain('complies');
  });
});

describe('the link format', () => {
  it('round-trips view, hidden layers, filters, selection and the open analysis', () => {
    const state = {
      view: { center: [117.2, 32.95] as [number, number], zoom: 12.5, bearing: 30 },
      hidden: ['villages', 'roads'],
      filters: { garbage_points: { values: { status: ['reported', 'assigned'] }, from: '2026-10-01', to: '2026-10-31' } },
      selected: { collection: 'roads', id: 2 },
      analysis: { kind: 'setback' as const, params: { distance_m: '', reference: 'edge', roads: 'S225,G206', village: '包集村' } },
    };
    const hash = encodeUrlState(state);
    expect(hash).toContain('map=12.50/32.95000/117.20000/30');
    expect(hash).toContain('hide=roads,villages');
    expect(hash).toContain('f.garbage_points.status=reported,assigned');
    expect(hash).toContain('tab=analysis&an=setback&a.distance_m=&a.reference=edge&a.roads=S225,G206');
    const back = decodeUrlState(`#${hash}`);
    expect(back.view).toEqual(state.view);
    expect(back.hidden.sort()).toEqual(['roads', 'villages']);
    expect(back.filters).toEqual(state.filters);
    expect(back.selected).toEqual(state.selected);
    expect(back.analysis).toEqual(state.analysis);
  });

  it('skips what it does not know instead of failing', () => {
    const s = decodeUrlState('#map=99/1/2&hide=nope,roads&f.nope.status=x&f.garbage_points.status=bogus,reported&sel=roads/x&tab=analysis&an=nope&a.roads=S225&a.x=%E0%A4%A');
    expect(s.view).toBeUndefined();
    expect(s.hidden).toEqual(['roads']);
    expect(s.filters).toEqual({ garbage_points: { values: { status: ['reported'] } } });
    expect(s.selected).toBeUndefined();
    expect(s.analysis).toBeUndefined();
    expect(decodeUrlState('#tab=analysis&an=corridor&a.month=2026-10&a.bogus=1').analysis).toEqual({ kind: 'corridor', params: { month: '2026-10' } });
    expect(decodeUrlState('').hidden).toEqual([]);
  });
});

describe('ranking and monthly report parameters', () => {
  const NOW2 = new Date('2026-11-23T10:00:00Z');
  it('ask the ranking under /api/analysis and the report under /api/reports, with the file formats', () => {
    expect(analysisPath('ranking', { month: '2026-10' })).toBe('/api/analysis/ranking?month=2026-10');
    expect(analysisPath('ranking', { month: '2026-10' }, 'xlsx')).toBe('/api/analysis/ranking?month=2026-10&f=xlsx');
    expect(analysisPath('report', { village: '包集村', month: '2026-10' }, 'docx')).toBe(`/api/reports/monthly?month=2026-10&village=${encodeURIComponent('包集村')}&f=docx`);
    expect(analysisPath('report', { month: '2026-10', village: '' }, 'pdf')).toBe('/api/reports/monthly?month=2026-10&f=pdf');
  });

  it('start on the last complete month; the report needs a month, neither takes one not begun', () => {
    expect(defaultParams('ranking', NOW2)).toEqual({ month: '2026-10' });
    expect(defaultParams('report', NOW2)).toEqual({ month: '2026-10', village: '' });
    expect(checkParams('report', { month: '', village: '' }, NOW2)).toEqual({ month: { problem: 'month' } });
    expect(checkParams('ranking', { month: '' }, NOW2)).toEqual({});
    expect(checkParams('ranking', { month: '2026-12' }, NOW2)).toEqual({ month: { problem: 'future' } });
    expect(checkParams('report', { month: '2026-13' }, NOW2)).toEqual({ month: { problem: 'month' } });
  });
});

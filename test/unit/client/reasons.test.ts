/**
 * The server's refusals in the interface's language: real FieldErrors from the server's checks
 * (properties, geometry, GEOS topology) said in Chinese with the registry's labels, choices and
 * units, and every code the server can send has a sentence in both languages.
 */
import { describe, it, expect } from 'vitest';
import i18next from 'i18next';
import { zh, en, type MessageKey } from '../../../client/src/i18n/catalog';
import { describeFileError, describeNoticeError, describePhotoError, describeReason, describeReasons } from '../../../client/src/lib/reasons';
import { ApiError } from '../../../client/src/api/http';
import { FILE_ERROR_CODES } from '../../../server/errors';
import { findCollection } from '../../../server/collections/registry';
import { checkProperties } from '../../../server/collections/properties';
import { checkGeometry } from '../../../server/collections/geometry';
import { topologyError } from '../../../server/collections/repository';
import { REASON_CODES, TOPOLOGY } from '../../../server/collections/reasons';

const i18n = i18next.createInstance();
await i18n.init({ resources: { zh: { translation: zh }, en: { translation: en } }, lng: 'zh', keySeparator: false, nsSeparator: false, interpolation: { escapeValue: false } });
const tIn = (lng: 'zh' | 'en') => (key: MessageKey, vars?: Record<string, unknown>) => i18n.getFixedT(lng)(key, vars as never) as unknown as string;
const t = tIn('zh');

const garbage = findCollection('garbage_points')!;
const plots = findCollection('afforestation_plots')!;
const villages = findCollection('villages')!;
const propertyErrors = (c: typeof garbage, input: Record<string, unknown>) => checkProperties(c, input, 'create').errors;
const geometryError = (c: typeof garbage, g: unknown) => {
  const r = checkGeometry(g, c.geometryTypes);
  if (r.ok) throw new Error('expected a refusal');
  return { property: 'geometry', reason: r.reason, code: r.code, params: r.params };
};

describe('server refusals in Chinese', () => {
  it('every code the server sends, and every GEOS kind, has a sentence in both languages', () => {
    for (const code of REASON_CODES) {
      expect(zh, code).toHaveProperty([`reason.${code}`]);
      expect(en, code).toHaveProperty([`reason.${code}`]);
    }
    for (const [kind] of [...Object.values(TOPOLOGY), ['other']]) expect(zh, kind).toHaveProperty([`reason.topology.${kind}`]);
  });

  it('properties: the label, the value given and what the property accepts', () => {
    const [e] = propertyErrors(garbage, { category: '建筑垃圾', status: 'gone', reported_at: '2026-10-01' });
    expect(e.code).toBe('enum');
    expect(describeReason(e, garbage, t, 'zh')).toBe('状态「"gone"」不是可选值，可选：已上报、已派遣、已清运、已核查');
    const [range] = propertyErrors(garbage, { category: '建筑垃圾', volume_t: -2 });
    expect(describeReason(range, garbage, t, 'zh')).toBe('垃圾量为 -2 吨，应在 0 到 100,000 吨 之间');
    const [required] = propertyErrors(garbage, {});
    expect(describeReason(required, garbage, t, 'zh')).toBe('类别为必填项');
    const order = propertyErrors(garbage, { category: '建筑垃圾', reported_at: '2026-10-05', cleared_at: '2026-10-01' });
    expect(describeReason(order[0], garbage, t, 'zh')).toBe('清运时间早于上报时间，应在其后');
    const [pattern] = propertyErrors(villages, { name: '包集村', township: '包集镇', code: '34032110' });
    expect(describeReason(pattern, villages, t, 'zh')).toBe('统计用区划代码格式不正确（"34032110"），应为12 位统计用区划代码，如 340321100201');
    const date = propertyErrors(findCollection('demolition_sites')!, { deadline: '2026-13-01' }).find((e) => e.property === 'deadline')!;
    expect(describeReason(date, findCollection('demolition_sites'), t, 'zh')).toBe('限期应为日期（YYYY-MM-DD），收到 "2026-13-01"');
    const [unknown] = checkProperties(garbage, { category: '建筑垃圾', 颜色: '红' }, 'create').errors;
    expect(describeReason(unknown, garbage, t, 'zh')).toBe('「颜色」不是本图层的字段');
  });

  it('geometry: the place in the coordinates, swapped axes, unclosed rings, GEOS topology', () => {
    const swapped = geometryError(garbage, { type: 'Point', coordinates: [32.9, 117.1] });
    expect(describeReason(swapped, garbage, t, 'zh')).toBe('coordinates 的纬度 117.1 超出 -90…90，经纬度似乎颠倒了：GeoJSON 的顺序是 [经度, 纬度]');
    const open = geometryError(plots, { type: 'Polygon', coordinates: [[[117, 33], [117.1, 33], [117.1, 33.1], [117, 33.1]]] });
    expect(describeReason(open, plots, t, 'zh')).toBe('coordinates 外环 未闭合：最后一个点须与第一个点 [117, 33] 相同');
    const hole = geometryError(plots, { type: 'Polygon', coordinates: [[[117, 33], [117.1, 33], [117.1, 33.1], [117, 33]], [[117.02, 33.02], [117.03, 33.02], [117.03, 33.03], [117.021, 33.02]]] });
    expect(describeReason(hole, plots, t, 'zh')).toBe('coordinates 内环 1 未闭合：最后一个点须与第一个点 [117.02, 33.02] 相同');
    const type = geometryError(plots, { type: 'Point', coordinates: [117, 33] });
    expect(describeReason(type, plots, t, 'zh')).toBe('几何类型 Point 不适用于本图层，应为面');
    const bowtie = topologyError('Self-intersection[117.05 33.05]');
    expect(describeReason(bowtie, plots, t, 'zh')).toBe('几何无效（117.050000, 33.050000 附近）：面的边相互交叉，请重画，使任意两条边都不交叉');
    expect(describeReason(bowtie, plots, tIn('en'), 'en')).toBe('Invalid geometry (near 117.050000, 33.050000): edges of the polygon cross each other; redraw it so that no two edges cross');
  });

  it('a table row whose coordinates are not numbers, by its row in the file', () => {
    const e = { property: 'geometry', reason: 'row 3: the coordinates "abc", "32.9" are not numbers', code: 'coordinates_not_numbers', params: { row: 3, x: '"abc"', y: '"32.9"' } };
    expect(describeReason(e, garbage, t, 'zh')).toBe('第 3 行的坐标 "abc"、"32.9" 不是数字');
  });

  it('several problems of one row in one line; without a code the server\'s words', () => {
    const errors = propertyErrors(garbage, { status: 'gone', volume_t: 'lots' });
    expect(describeReasons(errors, 'fallback', garbage, t, 'zh').split('；')).toHaveLength(errors.length);
    expect(describeReasons(undefined, 'row 3: no coordinates', garbage, t, 'zh')).toBe('row 3: no coordinates');
    expect(describeReason({ reason: 'something new', code: 'from_a_newer_server' }, garbage, t, 'zh')).toBe('something new');
  });
});

describe('file refusals in Chinese', () => {
  it('every file error code has a sentence pointing at the dialog, with the server\'s words as the detail', () => {
    for (const code of [...FILE_ERROR_CODES, 'payload_too_large']) {
      expect(zh, code).toHaveProperty([`importError.${code}`]);
      expect(en, code).toHaveProperty([`importError.${code}`]);
    }
    const e = new ApiError(400, 'unknown_projection', 'unknown projection: … give it with ?crs=EPSG:…');
    expect(describeFileError(e, t)).toEqual({ text: expect.stringContaining('请在上方「坐标系」中选择'), detail: e.message });
    // Anything else (a network failure, a code this client does not know) is shown as it came.
    expect(describeFileError(new ApiError(409, 'conflict', 'busy'), t)).toEqual({ text: 'busy' });
    expect(describeFileError(new Error('Failed to fetch'), t)).toEqual({ text: 'Failed to fetch' });
  });
});

describe('notice refusals in Chinese', () => {
  it('a re-check photo too far names each finding by its number on the notice and the fence', () => {
    const e = new ApiError(409, 'recheck_too_far', '整改〔2026〕第001号: a re-check photo must be taken within 30 m of each finding; …', [], undefined, [
      { finding_id: 71, nearest_photo_id: 5, distance_m: 45, fence_m: 30 },
      { finding_id: 90, nearest_photo_id: 5, distance_m: 401, fence_m: 30 },
    ]);
    expect(describeNoticeError(e, [90, 71], t)).toBe('复核照片须在每处问题 30 米以内拍摄：第 2 处问题距最近的照片 45 米；第 1 处问题距最近的照片 401 米。请到现场重新拍摄。');
    expect(describeNoticeError(new ApiError(409, 'recheck_no_position', 'photo 5 has no position'), [], t)).toMatch(/^这张照片没有位置信息/);
    expect(describeNoticeError(new ApiError(403, 'forbidden', 'viewer may not change rectification notices'), [], t)).toBe('viewer may not change rectification notices');
  });
});

describe('photo refusals in Chinese', () => {
  it('not a photo, a damaged one, one over the limit (named from the detail); else the server\'s words', () => {
    expect(describePhotoError(new ApiError(415, 'not_an_image', 'notes.jpg is not a JPEG…'), t)).toBe('这不是照片：请选择 JPEG、PNG、HEIC 或 WebP 图片。');
    expect(describePhotoError(new ApiError(413, 'photo_too_large', 'the photo is larger…', [], undefined, [{ parameter: 'file', limit_mb: 20 }]), t)).toBe('照片超过 20 MB 的上限：请换一张较小的照片。');
    expect(describePhotoError(new ApiError(409, 'conflict', 'garbage_points 3 cannot change from reported to verified'), t)).toBe('garbage_points 3 cannot change from reported to verified');
  });
});

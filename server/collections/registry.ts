/**
 * The map's collections: table, geometry types and properties with their rules and labels.
 * Pure data (no Node imports): the server validates and builds SQL identifiers from it, the client
 * reads its labels and enumerations. Identifiers in SQL come only from here, never from a request.
 * The enumerations repeat the CHECK constraints of the migrations; test/db/registry.test.ts compares them.
 */

export type GeometryType = 'Point' | 'LineString' | 'MultiLineString' | 'Polygon' | 'MultiPolygon';

export interface Label {
  zh: string;
  en: string;
}

interface BaseProperty {
  name: string;
  label: Label;
  /** Must be given when a feature is created (and cannot be set to null). */
  required?: boolean;
  /** Unit shown after the value, e.g. 米, 吨, 亩. */
  unit?: Label;
  /**
   * Worked out by the server (a database trigger) from other values, e.g. a finding's village
   * from its place: read like any property, never taken from a request (ignored when sent).
   */
  readOnly?: boolean;
}

export interface TextProperty extends BaseProperty {
  type: 'text';
  maxLength: number;
  /** A regular expression the whole text must match, and how to say so. */
  pattern?: { regex: string; hint: Label };
}

export interface EnumProperty extends BaseProperty {
  type: 'enum';
  values: readonly string[];
  valueLabels: Record<string, Label>;
  default?: string;
}

export interface NumberProperty extends BaseProperty {
  type: 'number' | 'integer';
  min: number;
  max: number;
  default?: number;
}

export interface DateProperty extends BaseProperty {
  /** date: a calendar day 'YYYY-MM-DD' (Asia/Shanghai); datetime: an RFC 3339 instant. */
  type: 'date' | 'datetime';
  /** Filled with today / now when a feature is created without it. */
  defaultNow?: boolean;
}

/** A list of ids of other records (bigint[] in the database), e.g. a finding's photos. */
export interface IdsProperty extends BaseProperty {
  type: 'ids';
  maxItems: number;
}

export type PropertyDef = TextProperty | EnumProperty | NumberProperty | DateProperty | IdsProperty;

export interface CollectionDef {
  id: string;
  /** SQL table; equals id, kept separate so that the two are never confused. */
  table: string;
  title: Label;
  description: Label;
  geometryTypes: readonly GeometryType[];
  properties: readonly PropertyDef[];
  /** Property that OGC `datetime` filters on (created_at when the layer has no date of its own). */
  temporal: string;
  /** Enumerated property that styles the layer and summarises clusters (status or kind). */
  styleBy?: string;
  /** Free-text property with known codes shown with labels (garbage categories). */
  knownCodes?: { property: string; labels: Record<string, Label> };
}

const l = (zh: string, en: string): Label => ({ zh, en });

function enumProp(name: string, label: Label, valueLabels: Record<string, Label>, extra: Partial<EnumProperty> = {}): EnumProperty {
  return { name, label, type: 'enum', values: Object.keys(valueLabels), valueLabels, ...extra };
}

export const ROAD_CLASSES = {
  national: l('国道', 'National road'),
  provincial: l('省道', 'Provincial road'),
  county: l('县道', 'County road'),
  township: l('乡道', 'Township road'),
  village: l('村道', 'Village road'),
};

export const GARBAGE_CATEGORIES = {
  domestic: l('生活垃圾', 'Household waste'),
  construction: l('建筑垃圾', 'Construction waste'),
  agricultural: l('秸秆柴草', 'Straw and brush'),
  bulky: l('大件垃圾', 'Bulky waste'),
  hazardous: l('有害垃圾', 'Hazardous waste'),
  floating_debris: l('水面漂浮物', 'Floating debris'),
  mixed: l('混合垃圾', 'Mixed waste'),
};

export const FINDING_CATEGORIES = {
  roadside_garbage: l('路边垃圾', 'Roadside garbage'),
  construction_waste: l('建筑垃圾', 'Construction waste'),
  straw_pile: l('秸秆堆放', 'Straw pile'),
  overflowing_pool: l('垃圾池满溢', 'Overflowing garbage pool'),
  floating_debris: l('水面漂浮物', 'Floating debris'),
  illegal_ad: l('违规广告', 'Illegal advertisement'),
  damaged_bin: l('垃圾桶破损', 'Damaged bin'),
  prohibited_structure: l('控制区内违建', 'Prohibited structure in the setback'),
  other: l('其他', 'Other'),
};

const unit = { m: l('米', 'm'), t: l('吨', 't'), mu: l('亩', 'mu'), m3: l('立方米', 'm³') };

export const COLLECTIONS: readonly CollectionDef[] = [
  {
    id: 'roads',
    table: 'roads',
    title: l('道路', 'Roads'),
    description: l('国道、省道、县道、乡道和村道的中心线', 'Centre lines of national, provincial, county, township and village roads'),
    geometryTypes: ['LineString', 'MultiLineString'],
    properties: [
      { name: 'code', label: l('路线编号', 'Road code'), type: 'text', maxLength: 64, required: true },
      { name: 'name', label: l('名称', 'Name'), type: 'text', maxLength: 200, required: true },
      enumProp('class', l('等级', 'Class'), ROAD_CLASSES, { required: true }),
      { name: 'width_m', label: l('路面宽度', 'Width'), type: 'number', min: 0.5, max: 200, unit: unit.m },
    ],
    temporal: 'created_at',
    styleBy: 'class',
  },
  {
    id: 'villages',
    table: 'villages',
    title: l('行政村', 'Villages'),
    description: l('行政村界线', 'Administrative village boundaries'),
    geometryTypes: ['Polygon', 'MultiPolygon'],
    properties: [
      { name: 'name', label: l('村名', 'Name'), type: 'text', maxLength: 100, required: true },
      {
        name: 'code', label: l('统计用区划代码', 'Statistical code'), type: 'text', maxLength: 12,
        pattern: { regex: '^[0-9]{12}$', hint: l('12 位统计用区划代码，如 340321100201', 'a 12-digit statistical code (统计用区划代码), e.g. 340321100201') },
      },
      { name: 'township', label: l('乡镇', 'Township'), type: 'text', maxLength: 100, required: true },
    ],
    temporal: 'created_at',
  },
  {
    id: 'waterways',
    table: 'waterways',
    title: l('河流水面', 'Waterways'),
    description: l('河流、沟渠、坑塘（底图参照）', 'Rivers, canals, ditches and ponds (context)'),
    geometryTypes: ['LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'],
    properties: [
      { name: 'name', label: l('名称', 'Name'), type: 'text', maxLength: 100, required: true },
      enumProp('kind', l('类型', 'Kind'), {
        river: l('河流', 'River'),
        canal: l('人工河', 'Canal'),
        ditch: l('沟渠', 'Ditch'),
        pond: l('坑塘', 'Pond'),
        lake: l('湖泊', 'Lake'),
      }, { required: true }),
    ],
    temporal: 'created_at',
    styleBy: 'kind',
  },
  {
    id: 'garbage_points',
    table: 'garbage_points',
    title: l('垃圾点位', 'Garbage points'),
    description: l('路边、河塘的垃圾堆放点及清运状态', 'Roadside and pond garbage piles and their clearance'),
    geometryTypes: ['Point'],
    properties: [
      { name: 'category', label: l('类别', 'Category'), type: 'text', maxLength: 64, required: true },
      enumProp('status', l('状态', 'Status'), {
        reported: l('已上报', 'Reported'),
        assigned: l('已派遣', 'Assigned'),
        cleared: l('已清运', 'Cleared'),
        verified: l('已核查', 'Verified'),
      }, { default: 'reported' }),
      { name: 'volume_t', label: l('垃圾量', 'Volume'), type: 'number', min: 0, max: 100000, unit: unit.t },
      { name: 'description', label: l('描述', 'Description'), type: 'text', maxLength: 2000 },
      { name: 'reported_at', label: l('上报时间', 'Reported at'), type: 'datetime', defaultNow: true },
      { name: 'cleared_at', label: l('清运时间', 'Cleared at'), type: 'datetime' },
    ],
    temporal: 'reported_at',
    styleBy: 'status',
    knownCodes: { property: 'category', labels: GARBAGE_CATEGORIES },
  },
  {
    id: 'sanitation_facilities',
    table: 'sanitation_facilities',
    title: l('环卫设施', 'Sanitation facilities'),
    description: l('垃圾池、垃圾桶、转运站、保洁三轮车停放点', 'Garbage pools, bins, transfer stations and tricycle depots'),
    geometryTypes: ['Point'],
    properties: [
      enumProp('kind', l('类型', 'Kind'), {
        garbage_pool: l('垃圾池', 'Garbage pool'),
        bin: l('垃圾桶', 'Bin'),
        transfer_station: l('转运站', 'Transfer station'),
        tricycle_depot: l('保洁三轮车停放点', 'Tricycle depot'),
      }, { required: true }),
      enumProp('condition', l('完好情况', 'Condition'), {
        good: l('完好', 'Good'),
        damaged: l('破损', 'Damaged'),
        missing: l('丢失', 'Missing'),
      }, { default: 'good' }),
      // m³ for pools, bins and stations; for a depot the number of tricycles (see the migration)
      { name: 'capacity', label: l('容量', 'Capacity'), type: 'number', min: 0, max: 100000 },
      { name: 'installed_on', label: l('设置日期', 'Installed on'), type: 'date' },
    ],
    temporal: 'created_at',
    styleBy: 'kind',
  },
  {
    id: 'afforestation_plots',
    table: 'afforestation_plots',
    title: l('造林小班', 'Afforestation plots'),
    description: l('造林小班的计划与完成面积', 'Afforestation plots with planned and planted area'),
    geometryTypes: ['Polygon', 'MultiPolygon'],
    properties: [
      { name: 'plot_code', label: l('小班号', 'Plot code'), type: 'text', maxLength: 64, required: true },
      { name: 'village', label: l('所在村', 'Village'), type: 'text', maxLength: 100 },
      { name: 'year', label: l('年度', 'Year'), type: 'integer', min: 1950, max: 2100, required: true },
      { name: 'species', label: l('树种', 'Species'), type: 'text', maxLength: 200 },
      { name: 'project', label: l('工程', 'Project'), type: 'text', maxLength: 200 },
      { name: 'planned_mu', label: l('计划面积', 'Planned area'), type: 'number', min: 0, max: 1000000, unit: unit.mu, required: true },
      { name: 'planted_mu', label: l('完成面积', 'Planted area'), type: 'number', min: 0, max: 1000000, unit: unit.mu, default: 0 },
      enumProp('status', l('状态', 'Status'), {
        planned: l('计划', 'Planned'),
        in_progress: l('施工中', 'In progress'),
        planted: l('已完成', 'Planted'),
        replant_needed: l('需补植', 'Replanting needed'),
      }, { default: 'planned' }),
    ],
    temporal: 'created_at',
    styleBy: 'status',
  },
  {
    id: 'demolition_sites',
    table: 'demolition_sites',
    title: l('拆除点位', 'Demolition sites'),
    description: l('道路沿线的猪圈、旱厕、柴棚和违章建筑', 'Pig pens, dry toilets, sheds and illegal buildings along roads'),
    geometryTypes: ['Point', 'Polygon', 'MultiPolygon'],
    properties: [
      enumProp('kind', l('类型', 'Kind'), {
        pig_pen: l('猪圈', 'Pig pen'),
        dry_toilet: l('旱厕', 'Dry toilet'),
        shed: l('柴棚圈棚', 'Shed'),
        illegal_building: l('违章建筑', 'Illegal building'),
        other: l('其他', 'Other'),
      }, { required: true }),
      enumProp('status', l('状态', 'Status'), {
        identified: l('已排查', 'Identified'),
        marked: l('已标记', 'Marked'),
        notice_issued: l('已下通知', 'Notice issued'),
        demolished: l('已拆除', 'Demolished'),
        exempt: l('不予拆除', 'Exempt'),
      }, { default: 'identified' }),
      { name: 'description', label: l('描述', 'Description'), type: 'text', maxLength: 2000 },
      { name: 'identified_on', label: l('排查日期', 'Identified on'), type: 'date', defaultNow: true },
      { name: 'deadline', label: l('限期', 'Deadline'), type: 'date' },
      { name: 'demolished_on', label: l('拆除日期', 'Demolished on'), type: 'date' },
    ],
    temporal: 'identified_on',
    styleBy: 'kind',
  },
  {
    id: 'patrols',
    table: 'patrols',
    title: l('巡查轨迹', 'Patrols'),
    description: l('巡查员某日的巡查轨迹（GPX 导入或在浏览器中记录）', "An inspector's track on a day (GPX import or recorded in the browser)"),
    geometryTypes: ['LineString', 'MultiLineString'],
    properties: [
      { name: 'inspector', label: l('巡查员', 'Inspector'), type: 'text', maxLength: 100, required: true },
      { name: 'patrolled_on', label: l('巡查日期', 'Patrolled on'), type: 'date', required: true },
      { name: 'started_at', label: l('开始时间', 'Started at'), type: 'datetime' },
      { name: 'ended_at', label: l('结束时间', 'Ended at'), type: 'datetime' },
      { name: 'description', label: l('说明', 'Description'), type: 'text', maxLength: 2000 },
    ],
    temporal: 'patrolled_on',
  },
  {
    id: 'findings',
    table: 'findings',
    title: l('巡查问题', 'Findings'),
    description: l('巡查发现的问题（带照片），可转为拆除点位或垃圾点位', 'Problems seen on patrol, with photos; can become demolition sites or garbage points'),
    geometryTypes: ['Point'],
    properties: [
      enumProp('category', l('问题类别', 'Category'), FINDING_CATEGORIES, { required: true }),
      enumProp('status', l('状态', 'Status'), {
        open: l('待处理', 'Open'),
        notice_issued: l('已下通知', 'Notice issued'),
        reported_fixed: l('已报整改', 'Reported fixed'),
        verified: l('已核查', 'Verified'),
        converted: l('已转点位', 'Converted'),
      }, { default: 'open' }),
      { name: 'description', label: l('描述', 'Description'), type: 'text', maxLength: 2000 },
      { name: 'found_at', label: l('发现时间', 'Found at'), type: 'datetime', defaultNow: true },
      { name: 'inspector', label: l('巡查员', 'Inspector'), type: 'text', maxLength: 100 },
      { name: 'photo_ids', label: l('照片', 'Photos'), type: 'ids', maxItems: 20 },
      { name: 'village', label: l('所在村', 'Village'), type: 'text', maxLength: 100, readOnly: true },
      { name: 'road_code', label: l('道路', 'Road'), type: 'text', maxLength: 64, readOnly: true },
      { name: 'stake', label: l('桩号', 'Stake'), type: 'text', maxLength: 32, readOnly: true },
      { name: 'repeat_of', label: l('重复于', 'Repeat of'), type: 'integer', min: 1, max: Number.MAX_SAFE_INTEGER, readOnly: true },
      { name: 'converted_collection', label: l('转为图层', 'Converted to layer'), type: 'text', maxLength: 64, readOnly: true },
      { name: 'converted_id', label: l('转为要素', 'Converted to feature'), type: 'integer', min: 1, max: Number.MAX_SAFE_INTEGER, readOnly: true },
    ],
    temporal: 'found_at',
    styleBy: 'status',
  },
];

/** Columns every table has besides its properties (read-only for clients). */
export const SYSTEM_PROPERTIES = ['created_at', 'updated_at'] as const;

const byId = new Map(COLLECTIONS.map((c) => [c.id, c]));

export function findCollection(id: string): CollectionDef | undefined {
  return byId.get(id);
}

/** Properties a request may set (the derived, read-only ones left out). */
export function writableProperties(c: CollectionDef): PropertyDef[] {
  return c.properties.filter((p) => !p.readOnly);
}

export function enumProperties(c: CollectionDef): EnumProperty[] {
  return c.properties.filter((p): p is EnumProperty => p.type === 'enum');
}

/**
 * The fixed inputs of the demo township: seed, reference date, names and places.
 * Figures quoted from the seed reports (shared/seeds/three-cities-reports-8.txt) are marked 《seed》.
 */
import type { XY } from './plane.js';

/** The one seed every random choice descends from. */
export const SEED = 20150320; // the day the county's 三城同创 campaign was launched 《seed, 第五篇》

/** The demo's "today" (Asia/Shanghai): every date lies before it, "last 12 months" ends here. */
export const DEMO_AS_OF = '2026-11-20';

export const TOWNSHIP = '包集镇';
/** Statistical code prefix: 340321 is Huaiyuan County (怀远县), 103 the (synthetic) township. */
export const VILLAGE_CODE_PREFIX = '340321103';

/** Every coordinate of the demo lies in this box (lon/lat). */
export const BBOX = { minLon: 117.0, minLat: 32.8, maxLon: 117.4, maxLat: 33.1 } as const;

/** 1 亩 = 10000/15 m². */
export const M2_PER_MU = 10000 / 15;

/**
 * The 17 administrative villages 《seed: 全乡17个村》 and where their settlements are (metres from
 * the township centre, before a little jitter). 杨圩 and 大观 are the model villages of 第一篇;
 * 沈郢, 石山, 前唐, 后唐, 尤村 the villages along S307/S225 of 第二篇; 包集, 王庄, 高庙, 火庙 and
 * 君庄 are the places the trunk roads 包王路, 包高路, 包火路 and 君高路 are named after.
 */
export const VILLAGE_SITES: readonly { name: string; at: XY }[] = [
  { name: '包集', at: [250, 250] }, // the township seat, by the S225 × S307 crossing
  { name: '石山', at: [2500, 300] },
  { name: '大观', at: [1500, 1900] },
  { name: '尤村', at: [-1000, 1900] },
  { name: '沈郢', at: [-2500, -250] },
  { name: '前唐', at: [-1000, -2200] },
  { name: '杨圩', at: [1600, -2100] },
  { name: '李湖', at: [4300, 300] },
  { name: '高庙', at: [3500, 3400] },
  { name: '张楼', at: [1300, 4500] },
  { name: '君庄', at: [-900, 4100] },
  { name: '陈圩', at: [-3400, 1900] },
  { name: '刘集', at: [-4300, 0] },
  { name: '王庄', at: [-3400, -2400] },
  { name: '后唐', at: [-1300, -4200] },
  { name: '孙岗', at: [1400, -4200] },
  { name: '火庙', at: [3500, -2500] },
];

/** Afforestation targets 《seed, 第三篇: 规划造林小班181个，计划造林5190亩，目前已造林2700亩》. */
export const PLOTS = {
  count: 181,
  plannedMu: 5190,
  plantedMu: 2700,
  /** 《seed, 第二篇》 女贞、栾树、香樟、垂柳等树木800亩 along S225. */
  corridorMu: 800,
  /** 《seed, 第二篇》 茨淮新河225省道公路桥两侧栽植石榴500多亩. */
  bridgePomegranateMu: 510,
  /** 《seed, 第五篇》 茨淮新河南岸…2300亩石榴基地 (已在施工中). */
  bankPomegranateMu: 2300,
} as const;

/** Sanitation facilities 《seed, 第三篇: 垃圾池160个、垃圾桶450个、保洁三轮车30辆》. */
export const FACILITIES = { pools: 160, bins: 450, tricycles: 30 } as const;

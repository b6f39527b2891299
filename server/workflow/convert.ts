/**
 * What a finding becomes (pure): a prohibited structure inside the setback → a demolition site;
 * a pile of garbage, waste, straw or floating debris, or an overflowing pool → a garbage point.
 * Illegal ads, damaged bins and "other" have no such layer and are refused with the reason.
 */
import { shanghaiToday } from '../collections/properties.js';

/** Finding category → garbage point category (the known codes of garbage_points). */
export const GARBAGE_CATEGORY_OF: Record<string, string> = {
  roadside_garbage: 'domestic',
  construction_waste: 'construction',
  straw_pile: 'agricultural',
  floating_debris: 'floating_debris',
  overflowing_pool: 'domestic',
};

export interface FindingToConvert {
  id: number;
  category: string;
  description: string | null;
  found_at: string;
  geometry: unknown;
}

export interface ConvertOptions {
  kind?: string;
  category?: string;
  volume_t?: number;
}

export type Conversion = { collection: 'demolition_sites' | 'garbage_points'; feature: { type: 'Feature'; geometry: unknown; properties: Record<string, unknown> } } | { refused: string };

/** Which collection a finding of this category converts into, if any. */
export function conversionTarget(category: string): 'demolition_sites' | 'garbage_points' | undefined {
  if (category === 'prohibited_structure') return 'demolition_sites';
  if (category in GARBAGE_CATEGORY_OF) return 'garbage_points';
  return undefined;
}

export function conversionOf(f: FindingToConvert, o: ConvertOptions): Conversion {
  const target = conversionTarget(f.category);
  const from = `巡查问题 #${f.id}${f.description ? `：${f.description}` : ''}`.slice(0, 2000);
  if (target === 'demolition_sites') {
    if (o.category !== undefined || o.volume_t !== undefined) return { refused: 'category and volume_t belong to garbage points; a prohibited structure becomes a demolition site (give kind)' };
    return {
      collection: target,
      feature: { type: 'Feature', geometry: f.geometry, properties: { kind: o.kind ?? 'other', status: 'identified', description: from, identified_on: shanghaiToday(new Date(f.found_at)) } },
    };
  }
  if (target === 'garbage_points') {
    if (o.kind !== undefined) return { refused: 'kind belongs to demolition sites; a garbage finding becomes a garbage point (give category or volume_t)' };
    return {
      collection: target,
      feature: {
        type: 'Feature', geometry: f.geometry,
        properties: { category: o.category ?? GARBAGE_CATEGORY_OF[f.category], status: 'reported', description: from, reported_at: f.found_at, ...(o.volume_t !== undefined ? { volume_t: o.volume_t } : {}) },
      },
    };
  }
  return { refused: `a finding of category ${f.category} does not become a demolition site or a garbage point: only prohibited_structure (→ demolition site) and roadside_garbage, construction_waste, straw_pile, floating_debris, overflowing_pool (→ garbage point) do` };
}

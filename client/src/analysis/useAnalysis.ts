/**
 * One analysis panel's state: the parameters being edited (draft), the ones it last ran with
 * (in the analysis store, so the URL and the CSV link follow them), the answer from the query
 * cache, and what is wrong with a parameter (checked here first, then by the server).
 */
import { useEffect, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, ApiError, errorsByField } from '../api/http';
import { useAnalysisStore } from '../state/stores';
import { analysisPath, checkParams, paramNames, type AnalysisKind, type AnalysisParams, type AnalysisResults, type ParamProblem } from './model';

export interface AnalysisHandle<K extends AnalysisKind> {
  kind: K;
  /** What the answer below was computed with. */
  params: AnalysisParams;
  draft: AnalysisParams;
  set(name: string, value: string): void;
  run(): void;
  /** The draft differs from what ran. */
  dirty: boolean;
  problems: Record<string, { problem: ParamProblem; max?: number }>;
  /** The server's reasons, by parameter ('' for the request as a whole). */
  serverErrors: Record<string, string[]>;
  query: ReturnType<typeof useQuery<AnalysisResults[K], Error>>;
  csvHref: string;
  xlsxHref: string;
  /** Shapes of the result as a Shapefile and KML (analyses that have shapes). */
  shapeHrefs?: { shp: string; kml: string };
}

/** No retry after a 4xx: the parameters are wrong and asking again will not help. */
function retry(count: number, e: Error): boolean {
  if (e instanceof ApiError && e.status >= 400 && e.status < 500) return false;
  return count < 1;
}

export function useAnalysisQuery<T>(path: string, enabled: boolean) {
  return useQuery<T, Error>({
    queryKey: ['analysis', path],
    queryFn: () => api<T>(path),
    enabled,
    // Analyses read live data: ask again when the panel opens (no stale answer after an edit).
    staleTime: 0,
    refetchOnMount: 'always',
    retry,
  });
}

export function useAnalysis<K extends AnalysisKind>(kind: K): AnalysisHandle<K> {
  const params = useAnalysisStore((s) => s.params[kind]);
  const setParams = useAnalysisStore((s) => s.setParams);
  const [draft, setDraft] = useState<AnalysisParams>(params);
  // A link or a reset changes the parameters from outside: the inputs follow.
  useEffect(() => setDraft(params), [params]);
  const ranOk = Object.keys(checkParams(kind, params)).length === 0;
  const path = analysisPath(kind, params);
  const query = useAnalysisQuery<AnalysisResults[K]>(path, ranOk);
  const problems = useMemo(() => checkParams(kind, draft), [kind, draft]);
  const dirty = paramNames(kind).some((n) => (draft[n] ?? '') !== (params[n] ?? ''));
  return {
    kind,
    params,
    draft,
    set: (name, value) => setDraft((d) => ({ ...d, [name]: value })),
    run: () => {
      if (Object.keys(problems).length) return;
      if (dirty) setParams(kind, draft);
      else void query.refetch();
    },
    dirty,
    problems,
    serverErrors: dirty ? {} : errorsByField(query.error, paramNames(kind)),
    query,
    csvHref: analysisPath(kind, params, 'csv'),
    xlsxHref: analysisPath(kind, params, 'xlsx'),
    shapeHrefs: kind === 'setback' || kind === 'facilities' ? { shp: analysisPath(kind, params, 'shp'), kml: analysisPath(kind, params, 'kml') } : undefined,
  };
}

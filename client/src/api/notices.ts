/** Rectification notices through the query cache: the list, one notice, candidates, and the writes. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './http';
import type { NoticeStatus } from '../../../server/notices/lifecycle';

export interface NoticeSummary {
  id: number;
  number: string;
  village: string;
  status: NoticeStatus;
  deadline: string;
  issued_at: string;
  issued_by: string | null;
  closed_at: string | null;
  finding_count: number;
  overdue: boolean;
}

export interface NoticeList {
  as_of: string;
  numberMatched: number;
  notices: NoticeSummary[];
  villages: { village: string; open: number; overdue: number }[];
}

export interface NoticeFinding {
  id: number;
  category: string;
  status: string;
  description: string | null;
  road_code: string | null;
  stake: string | null;
  found_at: string;
  photo_ids: number[];
  deadline: string;
  lon: number;
  lat: number;
  overdue?: boolean;
}

export interface NoticeEvent {
  id: number;
  from_status: NoticeStatus | null;
  to_status: NoticeStatus;
  at: string;
  by_user: string | null;
  photo_id: number | null;
  note: string | null;
}

export interface Notice extends Omit<NoticeSummary, 'finding_count'> {
  note: string | null;
  findings: NoticeFinding[];
  events: NoticeEvent[];
}

export interface Candidates {
  village: string;
  today: string;
  findings: NoticeFinding[];
}

export function useNotices(village: string | null) {
  const qs = village ? `?village=${encodeURIComponent(village)}` : '';
  return useQuery({ queryKey: ['notices', village], queryFn: () => api<NoticeList>(`/api/notices${qs}`) });
}

export function useNotice(id: number | null) {
  return useQuery({ queryKey: ['notice', id], queryFn: () => api<Notice>(`/api/notices/${id}`), enabled: id !== null });
}

export function useCandidates(village: string | null) {
  return useQuery({
    queryKey: ['notice-candidates', village],
    queryFn: () => api<Candidates>(`/api/notices/candidates?village=${encodeURIComponent(village!)}`),
    enabled: Boolean(village),
  });
}

function useAfterNoticeWrite() {
  const qc = useQueryClient();
  return (n: Notice) => {
    qc.setQueryData(['notice', n.id], n);
    void qc.invalidateQueries({ queryKey: ['notices'] });
    void qc.invalidateQueries({ queryKey: ['notice-candidates'] });
  };
}

export function useCreateNotice() {
  const after = useAfterNoticeWrite();
  return useMutation({
    mutationFn: (body: { village: string; finding_ids: number[]; deadline?: string; note?: string }) => api<Notice>('/api/notices', { method: 'POST', json: body }),
    onSuccess: after,
  });
}

export function useTransition(id: number) {
  const after = useAfterNoticeWrite();
  return useMutation({
    mutationFn: (body: { to: NoticeStatus; photo_id?: number; note?: string }) => api<Notice>(`/api/notices/${id}/transitions`, { method: 'POST', json: body }),
    onSuccess: after,
  });
}

/** Uploads a photo (POST /api/photos, multipart field `file`). */

// Photos go up through the one upload of the workflow API.
export { uploadPhoto, type UploadedPhoto } from './workflow';

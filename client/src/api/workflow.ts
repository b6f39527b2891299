/** Photos, status histories, transitions and conversions (the remediation workflow). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './http';
import type { Item } from './types';
import { useLayerStore } from '../state/stores';

export interface UploadedPhoto {
  id: number;
  url: string;
  thumbnail_url: string | null;
  thumbnail_note?: string;
  mime: string;
  exif: { lon: number | null; lat: number | null; taken_at: string | null };
}

export interface PhotoInfo extends Omit<UploadedPhoto, 'exif'> {
  exif: { lon?: number | null; lat?: number | null; taken_at: string | null };
}

export type { StatusEvent } from '../../../server/workflow/status';
import type { StatusEvent } from '../../../server/workflow/status';

export interface StatusHistory {
  status: string;
  next: string[];
  events: StatusEvent[];
}

/** POST /api/photos with the file in the multipart field `file` (the browser sets the boundary). */
export function uploadPhoto(file: File): Promise<UploadedPhoto> {
  const body = new FormData();
  body.append('file', file, file.name);
  return api<UploadedPhoto>('/api/photos', { method: 'POST', body });
}

export function usePhoto(id: number) {
  return useQuery({ queryKey: ['photo', id], queryFn: () => api<PhotoInfo>(`/api/photos/${id}`), staleTime: Infinity });
}

export function useStatusHistory(collection: string, id: number) {
  return useQuery({
    queryKey: ['status-history', collection, id],
    queryFn: () => api<StatusHistory>(`/api/collections/${collection}/items/${id}/transitions`),
  });
}

function useAfterWorkflowWrite() {
  const qc = useQueryClient();
  const bump = useLayerStore((s) => s.bumpVersion);
  return (collections: string[]) => {
    for (const c of collections) {
      bump(c);
      void qc.invalidateQueries({ queryKey: ['item', c] });
      void qc.invalidateQueries({ queryKey: ['status-history', c] });
      void qc.invalidateQueries({ queryKey: ['count', c] });
      void qc.invalidateQueries({ queryKey: ['all', c] });
    }
    void qc.invalidateQueries({ queryKey: ['analysis'] });
    void qc.invalidateQueries({ queryKey: ['audit'] });
  };
}

export function useTransition() {
  const after = useAfterWorkflowWrite();
  return useMutation({
    mutationFn: ({ collection, id, to, photo_id, note }: { collection: string; id: number; to: string; photo_id?: number; note?: string }) =>
      api<{ event: StatusEvent; feature: Item }>(`/api/collections/${collection}/items/${id}/transitions`, { method: 'POST', json: { to, ...(photo_id ? { photo_id } : {}), ...(note ? { note } : {}) } }),
    onSuccess: (_r, { collection }) => after([collection]),
  });
}

export function useConvertFinding() {
  const after = useAfterWorkflowWrite();
  return useMutation({
    mutationFn: ({ id }: { id: number }) => api<Item & { collection: string }>(`/api/findings/${id}/convert`, { method: 'POST', json: {} }),
    onSuccess: (r) => after(['findings', r.collection]),
  });
}

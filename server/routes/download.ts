/**
 * Content-Disposition for files the API hands out: an ASCII name for old clients and the UTF-8
 * name (RFC 6266) for the rest, so Chinese file names (红黑榜, 整改通知) survive.
 */
export function contentDisposition(name: string, opts: { inline?: boolean; ascii?: string } = {}): string {
  const ascii = (opts.ascii ?? name).replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${opts.inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

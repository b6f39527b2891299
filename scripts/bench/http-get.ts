/**
 * GET over node:http with a keep-alive agent, for the tile passes. The benchmark client shares the
 * server's two cores; fetch (undici) spent ~1.4 ms of CPU per tile request, more than the server
 * itself, and that CPU was taken from the server being measured. node:http spends a fraction.
 */
import http from 'node:http';

export function keepAliveGet(connections: number): (url: string, headers: Record<string, string>) => Promise<{ status: number; bytes: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  return (url, headers) => new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

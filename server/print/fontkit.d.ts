// fontkit ships no types; the mini map uses only create() and what township-map.ts declares.
declare module 'fontkit' {
  export function create(buffer: Buffer): unknown;
}

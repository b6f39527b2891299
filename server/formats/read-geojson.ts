/**
 * A GeoJSON file read as a stream: a byte-level scan finds the top-level members and the
 * elements of `features`, and each element is parsed on its own (JSON.parse, prototype
 * poisoning refused), so a county's 200,000 points never exist as objects all at once.
 * The scan checks the grammar of the two outer levels; JSON.parse checks each element and each
 * other member. A first pass counts the features and reads the members (`type`, the old-style
 * `crs`, wherever they stand) and the first features; the batches are a second pass.
 *
 * Why not a streaming JSON library: @streamparser/json took 1.6 s for a 46 MB FeatureCollection
 * where this scan and JSON.parse take 0.8 s, a tenth of a whole import's time.
 */
import { createReadStream } from 'node:fs';
import sjson from 'secure-json-parse';
import { HttpError } from '../errors.js';
import { parseCrsParam } from './crs.js';
import type { OpenedFile, SourceFeature } from './opened.js';

type Item = { member: string; raw: Buffer } | { feature: Buffer } | { featuresArray: true };

/** What a scan is refused with: said as "the body/file is not valid JSON: …". */
class NotJson extends Error {}
class NotObject extends Error {}

const WS = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) WS[c] = 1;
const BOM = [0xef, 0xbb, 0xbf];
const QUOTE = 0x22, BACKSLASH = 0x5c, OPEN_OBJ = 0x7b, CLOSE_OBJ = 0x7d, OPEN_ARR = 0x5b, CLOSE_ARR = 0x5d, COMMA = 0x2c, COLON = 0x3a;

/** Where the scan is between values. */
type State = 'start' | 'key' | 'colon' | 'value' | 'after-member' | 'first-element' | 'element' | 'after-element' | 'end';

/** The top-level members and the features' elements, in file order, as raw bytes. */
async function* scan(path: string, chunkBytes: number): AsyncGenerator<Item> {
  let state: State = 'start';
  let key = '';
  let members = 0;
  // The token being read (a member name, a member's value, a feature): its parts from earlier
  // chunks, where it starts in this chunk (-1: none), and how to find its end.
  let reading: 'key' | 'value' | 'element' = 'key';
  let parts: Buffer[] = [];
  let from = -1;
  let nest = 0;
  let inString = false;
  let escaped = false;
  let primitive = false;
  let offset = 0;
  const fail = (what: string, at: number) => new NotJson(`${what} at byte ${offset + at}`);
  const begin = (kind: typeof reading, c: number, i: number) => {
    reading = kind;
    from = i;
    escaped = false;
    primitive = c !== OPEN_OBJ && c !== OPEN_ARR && c !== QUOTE;
    inString = c === QUOTE;
    nest = c === OPEN_OBJ || c === OPEN_ARR ? 1 : 0;
  };
  for await (const chunk of createReadStream(path, { highWaterMark: chunkBytes }) as AsyncIterable<Buffer>) {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (from >= 0) {
        // Inside a token: find its end (the loop where almost all bytes go).
        let done = -1;
        if (primitive) {
          for (; i < n; i++) {
            const c = chunk[i];
            if (WS[c] || c === COMMA || c === CLOSE_OBJ || c === CLOSE_ARR) { done = i; break; }
          }
        } else {
          for (; i < n; i++) {
            const c = chunk[i];
            if (inString) {
              if (escaped) escaped = false;
              else if (c === BACKSLASH) escaped = true;
              else if (c === QUOTE) {
                inString = false;
                if (nest === 0) { done = ++i; break; }
              }
            } else if (c === QUOTE) inString = true;
            else if (c === OPEN_OBJ || c === OPEN_ARR) nest++;
            else if ((c === CLOSE_OBJ || c === CLOSE_ARR) && --nest === 0) { done = ++i; break; }
          }
        }
        if (done < 0) break; // the token goes on in the next chunk
        const raw = parts.length ? Buffer.concat([...parts, chunk.subarray(from, done)]) : Buffer.from(chunk.subarray(from, done));
        parts = [];
        from = -1;
        if (reading === 'key') {
          key = JSON.parse(raw.toString('utf8')) as string;
          state = 'colon';
        } else if (reading === 'value') {
          yield { member: key, raw };
          state = 'after-member';
        } else {
          yield { feature: raw };
          state = 'after-element';
        }
        continue;
      }
      const c = chunk[i];
      if (WS[c] || (offset + i < 3 && c === BOM[offset + i] && state === 'start')) { i++; continue; }
      switch (state) {
        case 'start':
          if (c !== OPEN_OBJ) throw new NotObject();
          state = 'key';
          break;
        case 'key':
          if (c === CLOSE_OBJ && members === 0) { state = 'end'; break; }
          if (c !== QUOTE) throw fail('a member name was expected', i);
          begin('key', c, i++);
          continue;
        case 'colon':
          if (c !== COLON) throw fail('":" was expected', i);
          state = 'value';
          break;
        case 'value':
          if (key === 'features' && c === OPEN_ARR) {
            state = 'first-element';
            yield { featuresArray: true };
            break;
          }
          begin('value', c, i);
          if (!primitive) i++; // the opening byte is counted by begin()
          continue;
        case 'first-element':
          if (c === CLOSE_ARR) { state = 'after-member'; break; }
        // falls through
        case 'element':
          begin('element', c, i);
          if (!primitive) i++;
          continue;
        case 'after-element':
          if (c === COMMA) state = 'element';
          else if (c === CLOSE_ARR) state = 'after-member';
          else throw fail('"," or "]" was expected between features', i);
          break;
        case 'after-member':
          members++;
          if (c === COMMA) state = 'key';
          else if (c === CLOSE_OBJ) state = 'end';
          else throw fail('"," or "}" was expected', i);
          break;
        case 'end':
          throw fail('more JSON after the end of the document', i);
      }
      i++;
    }
    if (from >= 0) {
      // A token that goes on in the next chunk: keep its bytes so far.
      parts.push(Buffer.from(chunk.subarray(from)));
      from = 0;
    }
    offset += n;
  }
  if (state !== 'end') throw new NotJson(state === 'start' ? 'the document is empty' : `it ends early, at byte ${offset} (cut short?)`);
}

function parseElement(raw: Buffer, what: string): unknown {
  try {
    return sjson.parse(raw.toString('utf8'), null, { protoAction: 'error', constructorAction: 'error' });
  } catch (e) {
    throw new NotJson(`${what}: ${(e as Error).message}`);
  }
}

export interface OpenedGeoJson extends OpenedFile {
  /** A FeatureCollection, or a file holding one Feature. */
  kind: 'FeatureCollection' | 'Feature';
  count: number;
}

/**
 * Opens a GeoJSON document at `path`; `what` names it in messages ("body" for a JSON request
 * body, "file" for an uploaded file). `chunkBytes`: how much is read at a time (tests make it
 * tiny, so that every token is cut by a chunk's end somewhere).
 */
export async function openGeoJson(path: string, what: 'body' | 'file', chunkBytes = 1 << 20): Promise<OpenedGeoJson> {
  const refuse = (e: unknown): never => {
    if (e instanceof NotObject) throw new HttpError(400, 'bad_request', what === 'body' ? 'the body must be a GeoJSON FeatureCollection: {"type": "FeatureCollection", "features": [...]}' : 'the JSON is not a GeoJSON FeatureCollection (or Feature)');
    if (e instanceof NotJson) throw new HttpError(400, 'invalid_json', `the ${what} is not valid JSON: ${e.message}`);
    throw e;
  };
  // First pass: the members, the number of features, the first 100 of them.
  const top: Record<string, unknown> = Object.create(null);
  const sample: SourceFeature[] = [];
  let count = 0;
  let hasFeatures = false;
  try {
    for await (const item of scan(path, chunkBytes)) {
      if ('featuresArray' in item) {
        hasFeatures = true;
      } else if ('feature' in item) {
        if (count < 100) sample.push(parseElement(item.feature, `feature ${count}`) as SourceFeature);
        count++;
      } else {
        // Parsed as the one-member object it stands in, so that prototype poisoning
        // ("__proto__", "constructor.prototype") is refused as for any JSON body.
        const one = parseElement(Buffer.concat([Buffer.from(`{${JSON.stringify(item.member)}:`), item.raw, Buffer.from('}')]), item.member) as Record<string, unknown>;
        top[item.member] = one[item.member];
      }
    }
  } catch (e) {
    refuse(e);
  }
  const kind = top.type === 'FeatureCollection' && hasFeatures && top.features === undefined ? 'FeatureCollection' : top.type === 'Feature' ? 'Feature' : undefined;
  if (!kind) throw new HttpError(400, 'bad_request', what === 'body' ? 'the body must be a GeoJSON FeatureCollection with a features array' : 'the JSON is not a GeoJSON FeatureCollection (or Feature)');
  // GeoJSON is WGS84 (RFC 7946); the older `crs` member (as ogr2ogr and our exports write it) is honoured.
  const named = (top.crs as { properties?: { name?: unknown } } | undefined)?.properties?.name;
  const crs = typeof named === 'string' ? parseCrsParam(named) : undefined;
  const single = kind === 'Feature' ? [{ ...top } as unknown as SourceFeature] : undefined;
  const fields = new Set<string>();
  for (const f of single ?? sample) for (const k of Object.keys((f as { properties?: object } | null)?.properties ?? {})) fields.add(k);
  return {
    format: 'geojson',
    kind,
    count: single ? 1 : count,
    crs,
    fields: [...fields],
    warnings: [],
    sample: single ?? sample,
    async *batches(size: number) {
      if (single) {
        yield single;
        return;
      }
      let batch: SourceFeature[] = [];
      let index = 0;
      try {
        for await (const item of scan(path, chunkBytes)) {
          if (!('feature' in item)) continue;
          batch.push(parseElement(item.feature, `feature ${index++}`) as SourceFeature);
          if (batch.length >= size) {
            yield batch;
            batch = [];
          }
        }
      } catch (e) {
        refuse(e);
      }
      if (batch.length) yield batch;
    },
  };
}

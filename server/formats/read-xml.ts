/**
 * KML and GPX, streamed: saxes reads the file as it is decoded, each feature element (a KML
 * Placemark; a GPX trk, rte or wpt under the root) is built into a small @xmldom/xmldom document
 * of its own and converted there by @tmcw/togeojson, so only the features of one batch exist at
 * a time, whatever the size of the file. GPX files are read once for each kind, as togeojson
 * orders them (tracks, routes, waypoints).
 */
import { DOMImplementation } from '@xmldom/xmldom';
import { gpx as gpxToGeoJson, kml as kmlToGeoJson } from '@tmcw/togeojson';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { badFile } from '../errors.js';
import { decodedStream, isUtf8File, type Encoding } from './text.js';
import { readHead } from './spool.js';
import type { Geom } from './wkb.js';
import { firstOf, type OpenedFile, type SourceFeature } from './opened.js';

/** The elements that become features, in the order togeojson gives them. */
const FEATURE_ELEMENTS = { kml: [['Placemark']], gpx: [['trk'], ['rte'], ['wpt']] };

/**
 * The documents of one kind of feature element, each holding one such element under a copy of
 * the file's root (its namespace declarations included).
 */
async function* featureDocuments(path: string, encoding: Encoding, kind: 'kml' | 'gpx', names: string[]): AsyncGenerator<Document> {
  const dom = new DOMImplementation();
  const parser = new SaxesParser({ xmlns: true });
  let root: SaxesTagNS | undefined;
  let depth = 0;
  let doc: Document | undefined;
  const stack: Element[] = []; // the elements being built, the copied root first
  const ready: Document[] = [];
  const errors: string[] = [];
  const element = (d: Document, tag: SaxesTagNS) => {
    const el = d.createElementNS(tag.uri || null, tag.name);
    for (const a of Object.values(tag.attributes)) el.setAttributeNS(a.uri || null, a.name, a.value);
    return el;
  };
  // Lenient as a DOM parser is: a fault (an unbound prefix, a stray character) is noted and
  // reading goes on; only a file without a root element is refused.
  parser.on('error', (e) => errors.push(e.message));
  parser.on('opentag', (tag) => {
    depth++;
    if (!root) {
      root = tag;
      return;
    }
    if (!doc) {
      if (!names.includes(tag.local) || (kind === 'gpx' && depth !== 2)) return;
      doc = dom.createDocument(root.uri || null, root.name, null) as unknown as Document;
      const top = doc.documentElement!;
      for (const a of Object.values(root.attributes)) top.setAttributeNS(a.uri || null, a.name, a.value);
      stack.push(top);
    }
    const el = element(doc, tag);
    stack[stack.length - 1].appendChild(el);
    stack.push(el);
  });
  parser.on('text', (t) => {
    if (doc && stack.length > 1) stack[stack.length - 1].appendChild(doc.createTextNode(t));
  });
  parser.on('cdata', (t) => {
    if (doc && stack.length > 1) stack[stack.length - 1].appendChild(doc.createCDATASection(t));
  });
  parser.on('closetag', () => {
    depth--;
    if (!doc) return;
    stack.pop();
    if (stack.length === 1) {
      ready.push(doc);
      doc = undefined;
      stack.length = 0;
    }
  });
  const text = decodedStream(path, encoding);
  for await (const chunk of text as AsyncIterable<string>) {
    parser.write(chunk);
    while (ready.length) yield ready.shift()!;
  }
  const before = errors.length;
  parser.close();
  if (!root) throw badFile('unreadable_file', `the ${kind.toUpperCase()} is not well-formed XML: ${(errors[0] ?? 'no root element').slice(0, 200)}`);
  // Elements still open at the end: the file was cut short, and what was cut would be lost unsaid.
  if (errors.length > before) throw badFile('unreadable_file', `the ${kind.toUpperCase()} ends before its elements close (${errors[before].slice(0, 120)}): the file is cut short; send the whole file`);
  while (ready.length) yield ready.shift()!;
}

/** KML's MultiGeometry arrives as a GeometryCollection: of one kind of part it is a Multi* geometry. */
function multiOf(g: Geom | null): Geom | null {
  const gc = g as unknown as { type: string; geometries?: Geom[] } | null;
  if (!gc || gc.type !== 'GeometryCollection' || !gc.geometries?.length) return g;
  const kinds = new Set(gc.geometries.map((p) => p.type.replace(/^Multi/, '')));
  if (kinds.size !== 1) return g;
  const kind = [...kinds][0];
  const parts = gc.geometries.flatMap((p) => (p.type.startsWith('Multi') ? (p.coordinates as unknown[]) : [p.coordinates]));
  return { type: `Multi${kind}`, coordinates: parts };
}

/** A togeojson feature as the import's source feature (GPX times and KML styles tidied). */
function tidy(f: SourceFeature, kind: 'kml' | 'gpx'): SourceFeature {
  const p = { ...(f.properties ?? {}) } as Record<string, unknown>;
  if (kind === 'gpx') {
    // Tracks, routes and waypoints alike; the per-vertex times stay out (a long track's list would
    // not fit the source attributes), the first one is the track's `time` when it has none.
    const times = (p.coordinateProperties as { times?: unknown } | undefined)?.times;
    const first = Array.isArray(times) ? (Array.isArray(times[0]) ? times[0][0] : times[0]) : undefined;
    if (p.time === undefined && typeof first === 'string') p.time = first;
    delete p.coordinateProperties;
    p.gpx_type = p._gpxType === 'rte' ? 'route' : p._gpxType === 'trk' ? 'track' : f.geometry?.type === 'Point' ? 'waypoint' : p._gpxType;
    delete p._gpxType;
  } else {
    for (const k of ['styleUrl', 'styleHash', 'styleMapHash', 'stroke', 'stroke-opacity', 'stroke-width', 'fill', 'fill-opacity', 'icon', 'visibility']) delete p[k];
  }
  return { type: 'Feature', geometry: multiOf(f.geometry), properties: p };
}

/** The encoding: the parameter, else the XML declaration's, else UTF-8 when the bytes are. */
async function encodingOf(path: string, given?: Encoding): Promise<Encoding> {
  if (given) return given;
  const head = await readHead(path, 200);
  // XML says its encoding in its declaration; GBK KML files exist (older Chinese tools).
  const decl = /encoding=["']([^"']+)["']/i.exec(head.toString('latin1'))?.[1];
  if (decl && /gb/i.test(decl)) return 'gbk';
  if (decl && /utf-?8/i.test(decl)) return 'utf-8';
  return (await isUtf8File(path)) ? 'utf-8' : 'gbk';
}

export async function openXml(path: string, kind: 'kml' | 'gpx', given?: Encoding): Promise<OpenedFile> {
  const encoding = await encodingOf(path, given);
  async function* batches(size: number): AsyncGenerator<SourceFeature[]> {
    let batch: SourceFeature[] = [];
    for (const names of FEATURE_ELEMENTS[kind]) {
      for await (const doc of featureDocuments(path, encoding, kind, names)) {
        const fc = (kind === 'kml' ? kmlToGeoJson(doc as never) : gpxToGeoJson(doc as never)) as { features: SourceFeature[] };
        for (const f of fc.features) batch.push(tidy(f, kind));
        if (batch.length >= size) {
          yield batch;
          batch = [];
        }
      }
    }
    if (batch.length) yield batch;
  }
  const sample = await firstOf(batches(100));
  const fields = new Set<string>();
  for (const f of sample) Object.keys(f.properties).forEach((k) => fields.add(k));
  return { format: kind, fields: [...fields], warnings: [], sample, batches };
}

/**
 * The hostile shapes as the bench sizes them (kept apart from common.mjs, so that the process that
 * measures one loads only the parser and these).
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** A module of the protocol package's dist/. */
export const load = (path) => import(pathToFileURL(join(ROOT, 'packages', 'protocol', 'dist', path)).href);
const { shape, syncRequest } = await load('test/hostile-shapes.js');

/** k copies of a shape at size m in one root: that shape at its cap, over a whole body. */
const copies = (name, m) => (k) => `<root>${shape(name).make(m).repeat(k)}</root>`;

/** Each shape as the bench sizes it: n grows the body linearly. */
export const BENCH_SHAPES = {
  normal: { what: 'syncMultipleLeads, 20 attributes a lead (the baseline)', make: (n) => syncRequest(n, 20) },
  attributes: { what: '256 attributes on every element (the cap)', make: copies('attributes', 256) },
  'prefixed-attributes': { what: '255 prefixed attributes on every element', make: copies('prefixed-attributes', 255) },
  declarations: { what: '64 namespace declarations on every element (the cap)', make: copies('declarations', 64) },
  'nested-declarations': {
    what: 'chains of 63 nested elements, each declaring its prefix',
    make: copies('nested-declarations', 63),
  },
  depth: { what: 'chains of 63 nested elements', make: copies('depth', 63) },
  'long-name': { what: 'names of 256 characters (the cap)', make: copies('long-name', 256) },
  'dense-elements': { what: '`<abcdef/>` elements, the densest the caps allow', make: shape('dense-elements').make },
  'small-elements': { what: '`<a/>` elements: refused after 1024 of them', make: shape('small-elements').make },
  'one-element-attributes': {
    what: 'one element, attributes without end (refused at 257)',
    make: shape('attributes').make,
  },
  unclosed: { what: '`<a>` never closed: refused at depth 65', make: shape('unclosed').make },
};

/**
 * Hiding request signatures in stored and logged text: a signature is replayable until its
 * timestamp expires.
 *
 * Two passes, because either alone misses something. The element pass blanks the whole content of
 * every `requestSignature` element, whatever its prefix and however its text is written (CDATA,
 * comments, character references, whitespace): a pattern over the text as written missed the
 * spellings that decode to the same signature. The value pass hides the signature as the server
 * decoded it wherever else it appears (echoed in a fault, repeated in the Body).
 *
 * The element pass reads the raw text with its own small scanner rather than the XML parser: it
 * must also work on text the parser refused, and on a journal body cut off in the middle.
 */
import { escapeText } from '@mktows/protocol';

export const MASK = '********';

/** Shorter decoded values are not masked elsewhere: they would blank ordinary text, and are no real signature. */
export const MIN_MASKED_VALUE = 8;

const ELEMENT = 'requestsignature';

/** Index just past the markup that starts at `at` with `open`, up to `close`; the text's end if unclosed. */
function skipPast(xml: string, at: number, open: string, close: string): number {
  const end = xml.indexOf(close, at + open.length);
  return end < 0 ? xml.length : end + close.length;
}

/** Index of the `>` that ends the tag starting at `at`, quoted attribute values skipped; the text's end if none. */
function tagEnd(xml: string, at: number): number {
  let quote = '';
  for (let i = at; i < xml.length; i++) {
    const c = xml[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      return i;
    }
  }
  return xml.length;
}

function isNameEnd(c: string | undefined): boolean {
  return c === undefined || c === '>' || c === '/' || c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

/** Whether the tag name at `at` has the local name requestSignature (any prefix, any case). */
function namesSignature(xml: string, at: number): boolean {
  let end = at;
  while (!isNameEnd(xml[end])) end++;
  const colon = xml.lastIndexOf(':', end - 1);
  const local = colon >= at ? colon + 1 : at;
  return end - local === ELEMENT.length && xml.slice(local, end).toLowerCase() === ELEMENT;
}

/**
 * Replaces everything between each outermost `requestSignature` start tag and its end tag with
 * MASK. Tags inside comments, CDATA sections and processing instructions do not count. An element
 * left open (a cut-off body, a broken request) is masked to the end of the text.
 */
export function maskSignatureElements(xml: string): string {
  // Cheap exit for the many texts that cannot hold the element.
  if (!/requestsignature/i.test(xml)) return xml;
  let out = '';
  let copied = 0;
  let depth = 0;
  let contentStart = 0;
  let i = xml.indexOf('<');
  while (i >= 0 && i < xml.length) {
    let next: number;
    if (xml.startsWith('<!--', i)) next = skipPast(xml, i, '<!--', '-->');
    else if (xml.startsWith('<![CDATA[', i)) next = skipPast(xml, i, '<![CDATA[', ']]>');
    else if (xml.startsWith('<?', i)) next = skipPast(xml, i, '<?', '?>');
    else {
      const end = tagEnd(xml, i);
      next = end + 1;
      const closing = xml[i + 1] === '/';
      let name = i + (closing ? 2 : 1);
      while (xml[name] === ' ' || xml[name] === '\t' || xml[name] === '\n' || xml[name] === '\r') name++;
      if (xml[i + 1] !== '!' && namesSignature(xml, name)) {
        if (!closing && xml[end - 1] !== '/') {
          if (depth++ === 0) contentStart = Math.min(end + 1, xml.length);
        } else if (closing && depth > 0 && --depth === 0) {
          out += xml.slice(copied, contentStart) + MASK;
          copied = i;
        }
      }
    }
    i = xml.indexOf('<', next);
  }
  if (depth > 0) return out + xml.slice(copied, contentStart) + MASK;
  return copied === 0 ? xml : out + xml.slice(copied);
}

/** Replaces every occurrence of a decoded signature, as is and as written in XML text, with MASK. */
export function maskValue(text: string, value: string | null | undefined): string {
  const v = value?.trim();
  if (!v || v.length < MIN_MASKED_VALUE) return text;
  let masked = text.replaceAll(v, MASK);
  const escaped = escapeText(v);
  if (escaped !== v) masked = masked.replaceAll(escaped, MASK);
  return masked;
}

/** Hides a request's signature: its elements, and the value the server decoded (when it got that far). */
export function maskSecrets(xml: string, signature?: string | null): string {
  return maskValue(maskSignatureElements(xml), signature);
}

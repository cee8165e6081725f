/** Secrets never leave the client in logs, errors or hooks: the request signature and the encryption key. */

const SIGNATURE = /(<(?:[\w.-]+:)?requestSignature\b[^>]*>)[^<]*(<\/)/g;
export const MASK = '********';

/** Masks the signature element's text and every occurrence of the given secrets. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text.replace(SIGNATURE, `$1${MASK}$2`);
  for (const s of secrets) if (s) out = out.split(s).join(MASK);
  return out;
}

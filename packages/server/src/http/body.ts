/** Reading a request body with a size limit, without buffering more than the limit. */
import type { IncomingMessage } from 'node:http';

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body exceeds the limit of ${limit} bytes`);
  }
}

/** The client closed the connection before its body was complete: its doing, not the server's. */
export class ClientAbortedError extends Error {
  constructor() {
    super('the client closed the connection before sending the whole body');
  }
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLargeError(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(c);
    });
    let ended = false;
    req.on('end', () => {
      ended = true;
      if (!failed) resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    });
    // An aborted upload shows as an 'aborted' error, or as a close before the end.
    req.on('error', (e) => {
      if (failed) return;
      failed = true;
      reject(req.destroyed || (e as NodeJS.ErrnoException).code === 'ECONNRESET' ? new ClientAbortedError() : e);
    });
    req.on('close', () => {
      if (failed || ended) return;
      failed = true;
      reject(new ClientAbortedError());
    });
  });
}

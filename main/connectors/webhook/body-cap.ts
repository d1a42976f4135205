import { Transform } from 'node:stream';

/**
 * A pass-through that fails once more than `limit` bytes have gone through it. Fastify's own
 * bodyLimit is fixed per route, but each webhook source has its own `maxBodyBytes`, so the listener
 * puts this in front of fastify's buffer parser (a preParsing hook): a chunked body is cut off as
 * soon as it passes the source's limit instead of being read whole.
 */
export class BodyTooLargeError extends Error {
  readonly statusCode = 413;
  readonly code = 'OSC_BODY_TOO_LARGE';
  constructor() {
    super('The body is larger than this source accepts.');
  }
}

export function capBody(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > limit) callback(new BodyTooLargeError());
      else callback(null, chunk);
    },
  });
}

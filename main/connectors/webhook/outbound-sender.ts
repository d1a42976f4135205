import type { Dispatcher } from 'undici';
import { httpCall } from '../http/http-call.js';
import { parseRetryAfterMs } from '../http/retry-timing.js';
import {
  EVENT_ID_HEADER,
  EVENT_TYPE_HEADER,
  SIGNATURE_HEADER,
  SOURCE_HEADER,
  TIMESTAMP_HEADER,
  signatureHeaderValue,
} from './signature.js';

/**
 * One signed POST to a subscriber (scheme in README.md). The timestamp is taken per attempt, so a
 * retry an hour later is not refused as stale; the event id stays the same across attempts.
 */
export interface SignedPost {
  readonly url: URL;
  /** Who sends: the outbound connection's id, sent as x-osc-source and covered by the signature. */
  readonly source: string;
  readonly secret: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly body: string;
  readonly timeoutMs: number;
  readonly nowMs: number;
  readonly dispatcher?: Dispatcher | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface SignedPostReply {
  readonly status: number;
  readonly retryAfterMs: number | null;
  readonly durationMs: number;
}

export async function postSignedWebhook(post: SignedPost): Promise<SignedPostReply> {
  const timestamp = String(Math.floor(post.nowMs / 1000));
  const reply = await httpCall({
    method: 'POST',
    url: post.url,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'odoo-sync-console-webhooks/1',
      [TIMESTAMP_HEADER]: timestamp,
      [EVENT_ID_HEADER]: post.eventId,
      [EVENT_TYPE_HEADER]: post.eventType,
      [SOURCE_HEADER]: post.source,
      [SIGNATURE_HEADER]: signatureHeaderValue(post.secret, {
        source: post.source,
        timestamp,
        eventId: post.eventId,
        body: post.body,
      }),
    },
    body: post.body,
    timeoutMs: post.timeoutMs,
    // The answer is only read for its status; a subscriber has no reason to send much back.
    maxResponseBytes: 64 * 1024,
    signal: post.signal,
    dispatcher: post.dispatcher,
  });
  return {
    status: reply.status,
    retryAfterMs: parseRetryAfterMs(reply.headers['retry-after'], post.nowMs),
    durationMs: reply.durationMs,
  };
}

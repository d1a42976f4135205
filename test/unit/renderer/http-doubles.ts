import type { EventSourceHandle } from '../../../renderer/client/event-stream.js';

/** One request the fake fetch received. */
export interface SeenRequest {
  readonly url: string;
  readonly method: string | undefined;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly credentials: RequestCredentials | undefined;
}

type Reply = { status?: number; body: string } | 'network-error' | 'hang';

/**
 * A fetch double: answers from a queue of canned replies (or a function), records what it was sent,
 * and honours the abort signal the way the browser's fetch does.
 */
export function fakeFetch(replies: Reply[] | ((request: SeenRequest) => Reply)) {
  const seen: SeenRequest[] = [];
  const fetchImpl = (url: string, init?: RequestInit): Promise<Response> => {
    const request: SeenRequest = {
      url,
      method: init?.method,
      headers: { ...(init?.headers as Record<string, string>) },
      body: typeof init?.body === 'string' ? init.body : '',
      credentials: init?.credentials,
    };
    seen.push(request);
    const reply = typeof replies === 'function' ? replies(request) : replies.shift();
    if (reply === undefined) throw new Error(`No reply queued for ${request.url}`);
    if (reply === 'network-error') return Promise.reject(new TypeError('Failed to fetch'));
    if (reply === 'hang') {
      return new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    }
    return Promise.resolve(new Response(reply.body, { status: reply.status ?? 200 }));
  };
  // The transport only ever passes a string URL; the double takes exactly that.
  return { fetch: fetchImpl as unknown as typeof fetch, seen };
}

export function ok(value: unknown): { body: string } {
  return { body: JSON.stringify({ ok: true, value }) };
}

export function fail(code: string, message: string, status = 400): { status: number; body: string } {
  return { status, body: JSON.stringify({ ok: false, error: { code, message } }) };
}

/** An EventSource double: records opens and closes, and lets a test push message data. */
export function fakeEventSources() {
  const opened: { url: string; closed: boolean; push: (data: unknown) => void }[] = [];
  const open = (url: string, onData: (data: unknown) => void): EventSourceHandle => {
    const entry = { url, closed: false, push: (data: unknown) => (entry.closed ? undefined : onData(data)) };
    opened.push(entry);
    return {
      close() {
        entry.closed = true;
      },
    };
  };
  const live = () => opened.filter((entry) => !entry.closed);
  return { open, opened, live };
}

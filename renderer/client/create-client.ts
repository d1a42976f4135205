import type { OscBridge } from '../../shared/contract/bridge.js';
import { createHttpBridge } from './http-transport.js';
import { findIpcBridge } from './ipc-transport.js';

/**
 * Picks the transport once, at start: the Electron preload's `window.osc` when present, otherwise
 * HTTP + server-sent events to the page's own origin (the headless console in a browser).
 */
export function createTransport(win: Window & typeof globalThis): OscBridge {
  const ipc = findIpcBridge(win);
  if (ipc !== null) return ipc;
  return createHttpBridge({
    fetch: win.fetch.bind(win),
    openEventSource(url, onData) {
      // Same origin: the browser sends the HttpOnly session cookie with the stream request.
      const source = new win.EventSource(url);
      source.onmessage = (message: MessageEvent<unknown>) => onData(message.data);
      return source;
    },
  });
}

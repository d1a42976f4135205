import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL, type OscBridge } from '../../shared/contract/bridge.js';
import { OPERATION_NAME_LIST } from '../../shared/contract/operation-names.js';
import { fromDomPort, type DomPort } from '../core-process/message-port-like.js';
import { CorePortClient } from './core-port-client.js';
import { buildOscBridge } from './preload-bridge.js';
import {
  CORE_CONNECT_CHANNEL,
  CORE_GONE_CHANNEL,
  CORE_PORT_CHANNEL,
  CORE_RESTARTED_CHANNEL,
} from './window-port-channels.js';

// Sandboxed preload (bundled to one CommonJS file): only electron's renderer modules exist here. It
// imports the operation names, not the zod contract: validation happens in the core process. The port
// to the core stays in this isolated world; the page only gets the functions of `window.osc`.
const client = new CorePortClient();

// Only the main process sends on these channels (ipcRenderer has no renderer-to-renderer path).
ipcRenderer.on(CORE_PORT_CHANNEL, (event) => {
  const port = (event as unknown as { ports?: readonly DomPort[] }).ports?.[0];
  if (port !== undefined) client.attach(fromDomPort(port));
});
ipcRenderer.on(CORE_GONE_CHANNEL, () => client.disconnect());
ipcRenderer.on(CORE_RESTARTED_CHANNEL, () => {
  client.reconnecting();
  ipcRenderer.send(CORE_CONNECT_CHANNEL);
});
ipcRenderer.send(CORE_CONNECT_CHANNEL);

const bridge = buildOscBridge(OPERATION_NAME_LIST, client) satisfies OscBridge;

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);

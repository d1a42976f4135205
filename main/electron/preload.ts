import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL, type OscBridge } from '../../shared/contract/bridge.js';
import { OPERATION_NAME_LIST } from '../../shared/contract/operation-names.js';
import { buildOscBridge } from './preload-bridge.js';

// Sandboxed preload (bundled to one CommonJS file): only electron's renderer modules exist here. It
// imports the operation names, not the zod contract: validation happens in the main process.
const bridge = buildOscBridge(OPERATION_NAME_LIST, {
  invoke: (channel, input) => ipcRenderer.invoke(channel, input),
  on: (channel, listener) => {
    ipcRenderer.on(channel, listener);
  },
  off: (channel, listener) => {
    ipcRenderer.off(channel, listener);
  },
}) satisfies OscBridge;

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);

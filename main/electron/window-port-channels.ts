/**
 * The few Electron IPC channels left between a window's preload and the main process. None carries
 * an operation: they only hand the window a port to the core process and say when that port died or
 * a new core is up. Operations and live events travel on the port itself.
 */
/** preload → main: "give this window a port to the core" (sender-checked like every IPC call). */
export const CORE_CONNECT_CHANNEL = 'osc:core-connect';
/** main → preload: the window's end of a fresh MessageChannel (in `event.ports[0]`). */
export const CORE_PORT_CHANNEL = 'osc:core-port';
/** main → preload: the core process stopped; calls in flight fail now rather than hang. */
export const CORE_GONE_CHANNEL = 'osc:core-gone';
/** main → preload: a new core process is ready; ask for a new port. */
export const CORE_RESTARTED_CHANNEL = 'osc:core-restarted';

/** The Odoo emulator: start it, seed it, inject faults. See emulator.ts. */
export { startOdooEmulator } from './emulator.js';
export type { EmulatorApiKeyOption, OdooEmulator, OdooEmulatorOptions } from './emulator.js';
export type { EmulatorState, EmulatorUser, Operation } from './emulator-state.js';
export type { FaultController } from './faults.js';
export { NO_LATENCY, REAL_ODOO17_LATENCY, type LatencyModel } from './latency.js';
export { ADMIN_GROUPS, INTEGRATION_GROUPS } from './access-rights.js';
export { ADMIN_UID, DEMO_UID, seedOdoo, type SeedData, type SeedRecord } from './seed.js';

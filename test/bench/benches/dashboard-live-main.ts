// The dashboard bench's measure, run inside the private keyring (dashboard-live.ts starts it).
import { writeFileSync } from 'node:fs';
import { measureDashboard } from './dashboard-live.js';

const out = process.env.OSC_BENCH_DASHBOARD_OUT;
if (out === undefined) throw new Error('OSC_BENCH_DASHBOARD_OUT is not set');
writeFileSync(out, JSON.stringify(await measureDashboard()));

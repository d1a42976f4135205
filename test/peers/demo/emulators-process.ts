// Runs the Odoo and FHIR emulators in their own process (benchmarks, the kill test, the demo), so
// their CPU work never lands on the event loop being measured. Configuration comes in the
// OSC_EMULATORS environment variable (JSON); the URLs go out as one JSON line on stdout. Ends when
// its stdin closes (the parent died or let go) or on SIGTERM.
import { startFhirEmulator } from '../fhir/index.js';
import { startOdooEmulator } from '../odoo/index.js';

interface EmulatorsConfig {
  readonly odooApiKey: string;
  readonly fhirToken: string;
  readonly bulkChargeItems?: number;
  readonly fhirSeed?: 'demo-clinic' | 'empty';
  readonly maxCount?: number;
}

const config = JSON.parse(process.env.OSC_EMULATORS ?? '{}') as EmulatorsConfig;
if (typeof config.odooApiKey !== 'string' || typeof config.fhirToken !== 'string') {
  process.stderr.write('OSC_EMULATORS must hold {"odooApiKey": "...", "fhirToken": "..."}\n');
  process.exit(2);
}
const odoo = await startOdooEmulator({ apiKeys: [{ key: config.odooApiKey }] });
const fhir = await startFhirEmulator({
  auth: { bearer: config.fhirToken },
  seed: config.fhirSeed ?? 'demo-clinic',
  ...(config.bulkChargeItems === undefined ? {} : { bulkChargeItems: config.bulkChargeItems }),
  ...(config.maxCount === undefined ? {} : { maxCount: config.maxCount }),
});
process.stdout.write(
  `${JSON.stringify({ odooUrl: odoo.url, odooDatabase: odoo.state.database, fhirUrl: fhir.url })}\n`,
);

let closing = false;
const stop = (): void => {
  if (closing) return;
  closing = true;
  void Promise.all([odoo.close(), fhir.close()]).then(() => process.exit(0));
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

import Database from 'better-sqlite3';
import { join } from 'node:path';
import { markersOf } from '../../../main/engine/anomaly/anomaly-judge.js';
import { demoClinicRecords } from '../fhir/demo-clinic.js';
import { MAX_SERVICE_PRICE_EUR } from '../fhir/clinic-catalogue.js';

/**
 * The demo clinic's billing history for its anomaly watch (issue 12): twelve weeks of daily service
 * charge batches, and six month ends, about the size of the clinic's usual day (the batch its first
 * sync sends), so a normal batch — on a weekday or at month end — is judged against real-looking
 * history and posted, while a batch of 10× the usual volume is held. The history a real clinic's
 * console gathers by itself; a fresh demo has none, so the demo writes it beside the console (the
 * store is in WAL mode: a second connection writes while the console serves).
 */
export interface DemoDay {
  readonly volume: number;
  readonly amount: number;
}

/** The charges the demo's EHR serves that pass the mapping's rules: the size of a usual day's batch. */
export function demoChargeDay(): DemoDay {
  let volume = 0;
  let amount = 0;
  for (const { resource } of demoClinicRecords(Date.now())) {
    if (resource.resourceType !== 'ChargeItem') continue;
    const price = resource.priceOverride?.value;
    if (price === undefined || price > MAX_SERVICE_PRICE_EUR) continue;
    volume += 1;
    amount += price;
  }
  return { volume, amount };
}

/** Batches of one usual day each, ±12 % in a fixed pattern (days are not all alike). */
export function demoChargeHistory(now: Date, day: DemoDay = demoChargeDay()) {
  const wiggle = [0, 0.06, -0.05, 0.12, -0.1, 0.03, -0.02, 0.08, -0.07, 0.01, -0.12, 0.05];
  const batches: { at: Date; volume: number; amount: number }[] = [];
  for (let daysAgo = 84; daysAgo >= 1; daysAgo -= 1) {
    const at = new Date(now.getTime() - daysAgo * 86_400_000);
    const factor = 1 + (wiggle[daysAgo % wiggle.length] ?? 0);
    batches.push({ at, volume: Math.round(day.volume * factor), amount: Math.round(day.amount * factor) });
  }
  // Month ends: the same clinic, the same size of day (every month end in the window is one above).
  for (let month = 1; month <= 6; month += 1) {
    const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - month + 1, 0, 18));
    const factor = 1 + (wiggle[month] ?? 0);
    batches.push({ at, volume: Math.round(day.volume * factor), amount: Math.round(day.amount * factor) });
  }
  return batches.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** Writes the history into the console's store for the flow (before its first run). */
export function seedDemoChargeHistory(dataDir: string, flowId: string, now = new Date()): number {
  const db = new Database(join(dataDir, 'osc.sqlite'));
  try {
    db.pragma('busy_timeout = 10000');
    const insert = db.prepare(
      `INSERT INTO anomaly_batches (flow_id, run_id, at, weekday, month_end, volume, amount, verdict)
       VALUES (?, 'run_demo_history', ?, ?, ?, ?, ?, 'normal')`,
    );
    const batches = demoChargeHistory(now);
    db.transaction(() => {
      for (const batch of batches) {
        const { weekday, monthEnd } = markersOf(batch.at);
        insert.run(flowId, batch.at.toISOString(), weekday, monthEnd ? 1 : 0, batch.volume, batch.amount);
      }
    })();
    return batches.length;
  } finally {
    db.close();
  }
}

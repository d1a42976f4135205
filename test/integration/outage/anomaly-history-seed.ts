import Database from 'better-sqlite3';
import { join } from 'node:path';
import { markersOf } from '../../../main/engine/anomaly/anomaly-judge.js';
import type { flowAnomalySchema } from '../../../shared/domain/flow-anomaly.js';
import type { z } from 'zod';
import type { OutageEnv } from './outage-env.js';

type FlowAnomalyInput = z.input<typeof flowAnomalySchema>;

/**
 * A watched flow's earlier batches written beside a running console (WAL: a second connection writes
 * while it serves): each volume once on today's weekday and once as a month end, so a batch run today
 * is judged against them whether or not today ends a month.
 */
export function seedBatchHistory(dataDir: string, flowId: string, volumes: readonly number[]): void {
  const db = new Database(join(dataDir, 'osc.sqlite'));
  try {
    db.pragma('busy_timeout = 5000');
    const { weekday } = markersOf(new Date());
    const insert = db.prepare(
      `INSERT INTO anomaly_batches (flow_id, run_id, at, weekday, month_end, volume, amount, verdict)
       VALUES (?, 'run_seed', '2026-01-01T00:00:00.000Z', ?, ?, ?, NULL, 'normal')`,
    );
    db.transaction(() => {
      for (const volume of volumes) {
        insert.run(flowId, weekday, 0, volume);
        insert.run(flowId, weekday, 1, volume);
      }
    })();
  } finally {
    db.close();
  }
}

/** Turns the outage test flow's anomaly watch on, as IT staff would in the flow form. */
export async function watchAnomalies(e: OutageEnv, anomaly: FlowAnomalyInput): Promise<void> {
  const { id, state: _s, cursor: _c, lastRunId: _l, lastSuccessAt: _t, ...rest } = e.flow;
  const { createdAt: _ca, createdBy: _cb, updatedAt: _ua, updatedBy: _ub, ...definition } = rest;
  await e.console.operators.it.value('flows.update', { id, definition: { ...definition, anomaly } });
}

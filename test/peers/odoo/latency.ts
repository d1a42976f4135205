import type { CallWork } from './orm.js';

/**
 * How long the emulator takes to answer, like a real Odoo on the same host: a cost per call plus a
 * cost per record the call created or updated, invoices (account.move with their lines) costing
 * their own. The default is no latency at all (fast tests).
 */

export interface LatencyModel {
  readonly perCallMs: number;
  /** Every record created or updated, whatever its kind (a flat cost for simple setups). */
  readonly perRecordMs: number;
  readonly perCreatedMs: number;
  readonly perUpdatedMs: number;
  /** Each account.move created or updated, in place of the two above. */
  readonly perInvoiceMs: number;
  /** Each record a search_read or read answers (0 unless a bench asks for it). */
  readonly perReadMs?: number;
}

export const NO_LATENCY: LatencyModel = {
  perCallMs: 0,
  perRecordMs: 0,
  perCreatedMs: 0,
  perUpdatedMs: 0,
  perInvoiceMs: 0,
};

/**
 * Measured against the real Odoo 17 of the test stage (2 cores, loopback; see
 * /shared/odoo17-server/README.md and the report of test/real-odoo/emulator-contract.test.ts):
 * one trivial call ≈ 37 ms; through `load` ≈ 3 ms per created record, ≈ 13 ms per updated record,
 * ≈ 30 ms per invoice with one line.
 */
export const REAL_ODOO17_LATENCY: LatencyModel = {
  perCallMs: 37,
  perRecordMs: 0,
  perCreatedMs: 3,
  perUpdatedMs: 13,
  perInvoiceMs: 30,
};

export function latencyMs(model: LatencyModel, work: CallWork): number {
  const records = work.created + work.updated;
  const kinds =
    work.model === 'account.move'
      ? records * model.perInvoiceMs
      : work.created * model.perCreatedMs + work.updated * model.perUpdatedMs;
  return model.perCallMs + records * model.perRecordMs + kinds + (work.read ?? 0) * (model.perReadMs ?? 0);
}

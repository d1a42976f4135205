import type { Benchmark } from '../bench-types.js';
import { auditAppendBench } from './audit-append.js';
import { flowE2eBench } from './flow-e2e.js';
import { auditVerifyBench } from './audit-verify.js';
import { odooUpsertBench } from './odoo-upsert.js';
import { odooRealBench } from './odoo-real.js';
import { fhirExtractBench } from './fhir-extract.js';
import { exceptionsQueryBench } from './exceptions-query.js';
import { exceptionReplayBench } from './exception-replay.js';
import { outboxReplayBench } from './outbox-replay.js';
import { dashboardLiveBench } from './dashboard-live.js';
import { reconcileBench } from './reconcile.js';
import { lineageQueryBench } from './lineage-query.js';
import { auditVerify10mBench } from './audit-verify-10m.js';

/**
 * Every benchmark `npm run bench` knows, in run order. Adding one is one line here (plus its module
 * in this folder). Names must be unique; `--only NAME` selects by name.
 */
export const BENCHMARKS: readonly Benchmark[] = [
  auditAppendBench,
  flowE2eBench,
  auditVerifyBench,
  odooUpsertBench,
  odooRealBench,
  fhirExtractBench,
  exceptionsQueryBench,
  exceptionReplayBench,
  outboxReplayBench,
  dashboardLiveBench,
  reconcileBench,
  lineageQueryBench,
  auditVerify10mBench,
];

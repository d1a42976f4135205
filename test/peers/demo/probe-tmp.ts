import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineCore } from '../../../main/engine/runner/engine-core.js';
import { openStore } from '../../../main/store/open-store.js';
import { bulkChargeItems } from '../fhir/bulk-generator.js';
import { bulkChargesMapping } from './demo-mappings.js';
import { seedStore } from './seed-store.js';
const N = 20000;
const dir = mkdtempSync(join(tmpdir(), 'probe-'));
const spec = bulkChargeItems(N, { endMs: Date.now() });
const seeded = seedStore(dir, {
  connections: { ehr: { kind: 'fhir', baseUrl: 'http://127.0.0.1:1', authMethod: 'none', username: '', allowInsecureHttp: true, pageSize: 1000, overlapSeconds: 0, timeoutMs: 1000 }, odoo: { kind: 'odoo', baseUrl: 'http://127.0.0.1:1', database: 'x', login: 'a', authMethod: 'api-key', protocol: 'auto', externalIdModule: 'osc_sync', allowInsecureHttp: true, maxConcurrentCalls: 2, maxCallsPerSecond: 10, timeoutMs: 1000 } },
  mappings: { m: bulkChargesMapping },
  flows: { f: { source: 'ehr', sourceSelector: { resourceType: 'ChargeItem' }, target: 'odoo', targetOperation: { model: 'account.move' }, mapping: 'm', batchSize: 1000 } },
});
const store = openStore({ dataDir: dir });
let id = 0;
const core = new EngineCore({
  store, secrets: { read: async () => null }, emit: () => undefined,
  endpoints: {
    source: () => ({ endpoint: { system: 'fhir', async *extract() { for (let p = 0; p < N; p += 1000) { const records = []; for (let i = p; i < p + 1000; i++) { const slot = spec.at(i); const r = slot.build({ versionId: '1', lastUpdated: new Date(slot.lastUpdatedMs).toISOString() }); records.push({ type: 'ChargeItem', sourceId: `ChargeItem/${slot.id}`, version: '1', updatedAt: null, data: JSON.parse(JSON.stringify(r)) }); } yield { records, cursor: String(p) }; } } }, close: async () => {} }),
    target: () => ({ endpoint: { system: 'odoo', async write(req: any) { return req.records.map((r: any) => ({ key: r.key, ok: true, targetId: String(++id), created: true })); } }, close: async () => {} }),
  },
});
const t = performance.now();
core.enqueue({ flowId: seeded.flows.f!.id, trigger: 'manual', requestedBy: 'x' });
await new Promise((r) => setTimeout(r, 10));
await core.idle();
console.log('records/s', (N / ((performance.now() - t) / 1000)).toFixed(0));
store.close();

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configFileSchema } from '../../../main/engine/config/config-file.js';
import { exportConfig } from '../../../main/engine/config/export-config.js';
import { flowRetryPolicies } from '../../../main/engine/store/flow-retry-policy.js';
import { FlowsRepo } from '../../../main/engine/store/flows-repo.js';
import { DEFAULT_AUTO_RETRY } from '../../../main/engine/store/retry-policy.js';
import { openStore } from '../../../main/store/open-store.js';
import type { Store } from '../../../main/store/types.js';
import { flowAutoRetrySchema, flowDefinitionSchema, type Flow } from '../../../shared/domain/flow.js';
import { seedItemsFlow } from './items-flow-seed.js';
import { makeTempDir } from '../../support/temp-dir.js';

/** A flow's own automatic-retry policy: its bounds, where the engine reads it, and its export. */
describe('per-flow automatic retry policy', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let flowId: string;

  beforeEach(() => {
    temp = makeTempDir('osc-flow-retry-');
    flowId = seedItemsFlow(temp.dir);
    store = openStore({ dataDir: temp.dir, log: { warn: () => undefined } });
  });
  afterEach(() => {
    store.close();
    temp.cleanup();
  });

  const definitionOf = (flow: Flow, autoRetry: unknown) =>
    flowDefinitionSchema.parse({
      ...Object.fromEntries(
        Object.keys(flowDefinitionSchema.shape).map((key) => [key, flow[key as keyof Flow]]),
      ),
      autoRetry,
    });

  it('accepts limits 0..20 and delays 1 s..24 h, the longest not shorter than the first', () => {
    const ok = { limit: 0, initialDelayMs: 1000, maxDelayMs: 86_400_000 };
    expect(flowAutoRetrySchema.safeParse(ok).success).toBe(true);
    expect(flowAutoRetrySchema.safeParse({ ...ok, limit: 20 }).success).toBe(true);
    for (const bad of [
      { ...ok, limit: 21 },
      { ...ok, limit: -1 },
      { ...ok, limit: 1.5 },
      { ...ok, initialDelayMs: 999 },
      { ...ok, maxDelayMs: 86_400_001 },
      { ...ok, initialDelayMs: 5000, maxDelayMs: 4000 },
      { ...ok, extra: 1 },
    ])
      expect(flowAutoRetrySchema.safeParse(bad).success).toBe(false);
  });

  it('is stored with the flow, read by the engine per flow, and exported', () => {
    const flows = new FlowsRepo(store.db);
    const policyOf = flowRetryPolicies(store.db, DEFAULT_AUTO_RETRY);
    expect(policyOf(flowId)).toEqual(DEFAULT_AUTO_RETRY);
    expect(policyOf('flow_doesnotexist00')).toEqual(DEFAULT_AUTO_RETRY);
    const flow = flows.get(flowId);
    if (flow === null) throw new Error('no flow');
    const own = { limit: 1, initialDelayMs: 2000, maxDelayMs: 60_000 };
    flows.update(flowId, definitionOf(flow, own), 'test');
    expect(flows.get(flowId)?.autoRetry).toEqual(own);
    expect(policyOf(flowId)).toEqual(own);
    const exported = configFileSchema.parse(exportConfig(store.db));
    expect(exported.flows[0]?.autoRetry).toEqual(own);
    // Back to the default when the flow drops its own policy.
    flows.update(flowId, definitionOf(flow, undefined), 'test');
    expect(policyOf(flowId)).toEqual(DEFAULT_AUTO_RETRY);
    expect(configFileSchema.parse(exportConfig(store.db)).flows[0]).not.toHaveProperty('autoRetry');
  });
});

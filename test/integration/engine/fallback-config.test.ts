import { describe, expect, it } from 'vitest';
import { configFileSchema } from '../../../main/engine/config/config-file.js';
import { exportConfig } from '../../../main/engine/config/export-config.js';
import { flowFallbackSchema } from '../../../shared/domain/flow-fallback.js';
import { openStore } from '../../../main/store/open-store.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { supplyConsumptionFallback } from '../../peers/demo/demo-fallback.js';
import { seedSupplyFlow } from './fallback-seed.js';

/** A flow's fallback settings are stored with it and travel in the change-management file. */
describe('fallback settings in the configuration file', () => {
  it('are exported with the flow, and absent stays absent', () => {
    for (const fallback of [supplyConsumptionFallback, null]) {
      const temp = makeTempDir('osc-fallback-config-');
      seedSupplyFlow(temp.dir, fallback);
      const store = openStore({ dataDir: temp.dir, log: { warn: () => undefined } });
      try {
        const [flow] = configFileSchema.parse(exportConfig(store.db)).flows;
        if (fallback === null) expect(flow).not.toHaveProperty('fallback');
        else expect(flow?.fallback).toEqual(flowFallbackSchema.parse(fallback));
      } finally {
        store.close();
        temp.cleanup();
      }
    }
  });
});

import {
  prepareStage,
  STAGE_ENV,
  teardownStage,
  writeStageFile,
  type RealOdooStage,
} from '../peers/real-odoo/stage.js';

/** Vitest global setup of the real-Odoo suite: one prepared stage for every suite of the run. */

let stage: RealOdooStage | null = null;

export async function setup(): Promise<void> {
  const started = performance.now();
  stage = await prepareStage();
  process.env[STAGE_ENV] = writeStageFile(stage);
  console.log(
    `Real Odoo ${stage.series} stage ready in ${((performance.now() - started) / 1000).toFixed(1)} s (template ${stage.template})`,
  );
}

export function teardown(): void {
  if (stage !== null) teardownStage(stage);
}

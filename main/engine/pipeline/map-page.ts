import { createHash } from 'node:crypto';
import type { SourceRecord } from '../../connectors/types.js';
import type { CompiledMapping } from '../mapping/compile-mapping.js';
import { MappingEvalError } from '../mapping/mapping-errors.js';
import type { FailedRecord } from '../store/batch-commit.js';

/** A record that mapped and validated, and whose payload differs from the last one written. */
export interface MappedRecord {
  readonly source: SourceRecord;
  readonly sourceHash: string;
  readonly key: string;
  readonly orderKey: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly payloadJson: string;
  readonly payloadHash: string;
}

export interface MappedPage {
  readonly toLoad: MappedRecord[];
  readonly failed: FailedRecord[];
  /** Records that mapped (to load, or unchanged). */
  readonly mapped: number;
  readonly unchanged: number;
}

export interface MapPageDeps {
  readonly mapping: CompiledMapping;
  /** The ordering key of a record, or null to order by the target key. */
  readonly orderingKey: ((data: unknown) => Promise<string>) | null;
  /** The payload hash last written for this target key, if any. */
  readonly writtenHash: (key: string) => string | undefined;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function payloadHashOf(key: string, payloadJson: string): string {
  return sha256(`${key}\u0000${payloadJson}`);
}

/** map → validate → skip unchanged, for one page. A failing record is kept, never thrown. */
export async function mapPage(records: readonly SourceRecord[], deps: MapPageDeps): Promise<MappedPage> {
  const toLoad: MappedRecord[] = [];
  const failed: FailedRecord[] = [];
  let mapped = 0;
  let unchanged = 0;
  for (const source of records) {
    const sourceHash = sha256(JSON.stringify(source.data) ?? 'null');
    let outcome;
    try {
      outcome = await deps.mapping.map(source.data);
    } catch (error) {
      const code = error instanceof MappingEvalError ? error.code : 'mapping.failed';
      const message = error instanceof Error ? error.message : String(error);
      failed.push({ source, sourceHash, stage: 'map', key: null, payloadHash: null, payloadJson: null, error: { class: 'permanent', code, message } });
      continue;
    }
    const payloadHash = payloadHashOf(outcome.key, outcome.payloadJson);
    if (outcome.rejected) {
      const broken = outcome.rules.filter((rule) => !rule.passed && rule.severity === 'error');
      failed.push({
        source,
        sourceHash,
        stage: 'validate',
        key: outcome.key,
        payloadHash,
        payloadJson: outcome.payloadJson,
        error: {
          class: 'permanent',
          code: `rule.${broken[0]?.id ?? 'unknown'}`,
          message: broken.map((rule) => rule.message).join('; '),
        },
      });
      continue;
    }
    mapped += 1;
    if (deps.writtenHash(outcome.key) === payloadHash) {
      unchanged += 1;
      continue;
    }
    let orderKey = outcome.key;
    if (deps.orderingKey !== null) {
      try {
        orderKey = await deps.orderingKey(source.data);
      } catch {
        orderKey = outcome.key; // an ordering key that cannot be computed falls back to the target key
      }
    }
    toLoad.push({ source, sourceHash, key: outcome.key, orderKey, payload: outcome.payload, payloadJson: outcome.payloadJson, payloadHash });
  }
  return { toLoad, failed, mapped, unchanged };
}

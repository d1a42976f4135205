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
  /** The payload hashes last written for these target keys (one query per page, not per record). */
  readonly writtenHashes: (keys: readonly string[]) => ReadonlyMap<string, string>;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON.stringify gives undefined (despite its type) for undefined; records are JSON data otherwise. */
export function jsonOf(value: unknown): string {
  return value === undefined ? 'null' : JSON.stringify(value);
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
  const good: {
    source: SourceRecord;
    sourceHash: string;
    key: string;
    payload: Record<string, unknown>;
    payloadJson: string;
    payloadHash: string;
  }[] = [];
  for (const source of records) {
    const sourceHash = sha256(jsonOf(source.data));
    let outcome;
    try {
      outcome = await deps.mapping.map(source.data);
    } catch (error) {
      const code = error instanceof MappingEvalError ? error.code : 'mapping.failed';
      const message = error instanceof Error ? error.message : String(error);
      failed.push({
        source,
        sourceHash,
        stage: 'map',
        key: null,
        payloadHash: null,
        payloadJson: null,
        error: { class: 'permanent', code, message },
      });
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
    good.push({
      source,
      sourceHash,
      key: outcome.key,
      payload: outcome.payload,
      payloadJson: outcome.payloadJson,
      payloadHash,
    });
  }
  const written = deps.writtenHashes(good.map((record) => record.key));
  for (const record of good) {
    if (written.get(record.key) === record.payloadHash) {
      unchanged += 1;
      continue;
    }
    let orderKey = record.key;
    if (deps.orderingKey !== null) {
      try {
        orderKey = await deps.orderingKey(record.source.data);
      } catch {
        orderKey = record.key; // an ordering key that cannot be computed falls back to the target key
      }
    }
    toLoad.push({ ...record, orderKey });
  }
  return { toLoad, failed, mapped, unchanged };
}

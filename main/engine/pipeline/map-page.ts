import { createHash } from 'node:crypto';
import type { SourceRecord } from '../../connectors/types.js';
import type { CompiledMapping } from '../mapping/compile-mapping.js';
import { MappingEvalError } from '../mapping/mapping-errors.js';
import type { FailedRecord, SourceRef } from '../store/batch-commit.js';

/** A record that mapped and validated, and whose payload differs from the last one written. */
export interface MappedRecord {
  readonly source: SourceRef;
  /** The source record's data as JSON: what its hash covers, and what a failure stores. */
  readonly sourceJson: string;
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
  /** The records skipped as unchanged (they settle their exceptions: exception-recorder.ts). */
  readonly unchangedRecords: readonly SourceRef[];
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

/** The pure part of a page's processing: no store read, so it may run ahead of earlier commits. */
export interface MappedRecords {
  readonly good: readonly MappedRecord[];
  readonly failed: FailedRecord[];
}

/** map → validate → skip unchanged, for one page. A failing record is kept, never thrown. */
export async function mapPage(records: readonly SourceRecord[], deps: MapPageDeps): Promise<MappedPage> {
  return skipUnchanged(await mapRecords(records, deps), deps);
}

/**
 * map → validate → hash → ordering key, for a page. Reads nothing from the store, so it may run
 * ahead of earlier commits. Only the JSON text of each source record is kept, not its parsed tree:
 * a page waits through a load round trip, and a thousand trees kept that long were most of what
 * the worker's heap promoted (≈ 2.7 kB a record).
 */
export async function mapRecords(
  records: readonly SourceRecord[],
  deps: Pick<MapPageDeps, 'mapping' | 'orderingKey'>,
): Promise<MappedRecords> {
  const failed: FailedRecord[] = [];
  const good: MappedRecord[] = [];
  for (const record of records) {
    const sourceJson = jsonOf(record.data);
    const sourceHash = sha256(sourceJson);
    const source: SourceRef = {
      type: record.type,
      sourceId: record.sourceId,
      version: record.version,
      updatedAt: record.updatedAt,
    };
    let outcome;
    try {
      outcome = await deps.mapping.map(record.data);
    } catch (error) {
      const code = error instanceof MappingEvalError ? error.code : 'mapping.failed';
      const message = error instanceof Error ? error.message : String(error);
      failed.push({
        source,
        sourceJson,
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
        sourceJson,
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
    let orderKey = outcome.key;
    if (deps.orderingKey !== null) {
      try {
        orderKey = await deps.orderingKey(record.data);
      } catch {
        orderKey = outcome.key; // an ordering key that cannot be computed falls back to the target key
      }
    }
    good.push({
      source,
      sourceJson,
      sourceHash,
      key: outcome.key,
      orderKey,
      payload: outcome.payload,
      payloadJson: outcome.payloadJson,
      payloadHash,
    });
  }
  return { good, failed };
}

/**
 * Drop the records whose payload hash equals the last one written. Must run after every earlier
 * batch of the run is committed: a record seen twice in one run is then "unchanged" the second time.
 */
export function skipUnchanged(batch: MappedRecords, deps: Pick<MapPageDeps, 'writtenHashes'>): MappedPage {
  const { good, failed } = batch;
  const written = deps.writtenHashes(good.map((record) => record.key));
  const toLoad: MappedRecord[] = [];
  const unchangedRecords: SourceRef[] = [];
  // A key loaded earlier in this page changes what it holds: a later record back at the written
  // payload is a change again (k:B then k:A while A was written must end at A).
  const loadingKeys = new Set<string>();
  for (const record of good) {
    if (!loadingKeys.has(record.key) && written.get(record.key) === record.payloadHash) {
      unchangedRecords.push(record.source);
    } else {
      loadingKeys.add(record.key);
      toLoad.push(record);
    }
  }
  return { toLoad, failed, mapped: good.length, unchanged: unchangedRecords.length, unchangedRecords };
}

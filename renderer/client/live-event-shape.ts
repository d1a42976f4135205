import type { LiveEvent, LiveEventType } from '../../shared/contract/events.js';
import { EVENT_AUDIENCE } from '../../shared/contract/events.js';
import { SERVICE_STATES } from '../../shared/contract/ops/service-ops.js';
import { EXCEPTION_STATES } from '../../shared/domain/exception.js';
import { RECONCILE_RUN_STATES } from '../../shared/domain/flow-reconcile.js';
import { FAILURE_STAGES, RUN_STATUSES } from '../../shared/domain/run.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function oneOf(value: unknown, allowed: readonly string[]): boolean {
  return typeof value === 'string' && allowed.includes(value);
}

/** A count the tables print and add up: a finite, non-negative number. */
function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isAuditEntry(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value.seq === 'number' &&
    typeof value.at === 'string' &&
    typeof value.actor === 'string' &&
    typeof value.action === 'string' &&
    (value.target === null || typeof value.target === 'string') &&
    (value.outcome === 'ok' || value.outcome === 'denied' || value.outcome === 'error') &&
    typeof value.detail === 'string' &&
    typeof value.hash === 'string'
  );
}

function isRunCounts(value: unknown): boolean {
  return (
    isRecord(value) &&
    isCount(value.read) &&
    isCount(value.mapped) &&
    isCount(value.unchanged) &&
    isCount(value.written) &&
    isCount(value.failed)
  );
}

function isRunProgress(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value.runId === 'string' &&
    typeof value.flowId === 'string' &&
    oneOf(value.status, RUN_STATUSES) &&
    isRunCounts(value.counts) &&
    isCount(value.throughput) &&
    isCount(value.loadLatencyMs) &&
    isCount(value.queueDepth)
  );
}

const isTextOrNull = (value: unknown): boolean => value === null || typeof value === 'string';

const FLOW_CHANGES = ['created', 'updated', 'deleted', 'enabled', 'disabled', 'cursor'];
const MAPPING_CHANGES = ['created', 'approved', 'activated', 'imported'];
const ENGINE_STATES = ['running', 'restarting', 'stopped'];
const OUTAGE_CHANGES = ['degraded', 'restored', 'outbox', 'drain-finished', 'drain-stuck', 'fallback'];
const HOLD_CHANGES = ['held', 'released', 'rejected'];

function isEngineEvent(value: Record<string, unknown>, type: LiveEventType): boolean {
  switch (type) {
    case 'flows.changed':
      return typeof value.id === 'string' && oneOf(value.change, FLOW_CHANGES);
    case 'mappings.changed':
      return (
        typeof value.id === 'string' &&
        Number.isInteger(value.version) &&
        oneOf(value.change, MAPPING_CHANGES)
      );
    case 'runs.progress':
      return isRunProgress(value.progress);
    case 'runs.failure':
      return (
        typeof value.runId === 'string' &&
        typeof value.flowId === 'string' &&
        oneOf(value.stage, FAILURE_STAGES) &&
        typeof value.sourceId === 'string' &&
        typeof value.errorCode === 'string'
      );
    case 'flows.freshness':
      return (
        typeof value.flowId === 'string' &&
        (value.lastSuccessAt === null || typeof value.lastSuccessAt === 'string') &&
        isCount(value.objectiveMinutes) &&
        typeof value.breached === 'boolean'
      );
    case 'engine.status':
      return oneOf(value.state, ENGINE_STATES) && isCount(value.activeRuns) && isCount(value.queuedRuns);
    case 'exceptions.changed':
      return (
        isTextOrNull(value.flowId) &&
        Array.isArray(value.ids) &&
        value.ids.every((id) => typeof id === 'string') &&
        (value.state === null || oneOf(value.state, EXCEPTION_STATES))
      );
    case 'outages.changed':
      return (
        oneOf(value.change, OUTAGE_CHANGES) && isTextOrNull(value.connectionId) && isTextOrNull(value.flowId)
      );
    case 'holds.changed':
      return (
        oneOf(value.change, HOLD_CHANGES) &&
        typeof value.holdId === 'string' &&
        typeof value.flowId === 'string'
      );
    case 'reconcile.changed':
      return (
        typeof value.flowId === 'string' &&
        typeof value.runId === 'string' &&
        oneOf(value.state, RECONCILE_RUN_STATES) &&
        isCount(value.differencesNew)
      );
    default:
      return false;
  }
}

function isServiceStatus(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value.name === 'string' &&
    typeof value.label === 'string' &&
    oneOf(value.state, SERVICE_STATES) &&
    typeof value.since === 'string' &&
    isCount(value.restarts) &&
    isTextOrNull(value.lastError) &&
    isTextOrNull(value.lastErrorAt) &&
    isTextOrNull(value.detail)
  );
}

const KNOWN_TYPES = new Set<string>(Object.keys(EVENT_AUDIENCE));

/**
 * Checks that a pushed message is a LiveEvent this console understands. Events from a newer server
 * (unknown types) or damaged messages are dropped instead of reaching stores that would misread them;
 * every event is checked field by field, since each one is acted on by some store.
 */
export function isLiveEvent(value: unknown): value is LiveEvent {
  if (!isRecord(value) || typeof value.type !== 'string' || !KNOWN_TYPES.has(value.type)) return false;
  const type = value.type as LiveEventType;
  switch (type) {
    case 'audit.appended':
      return isAuditEntry(value.entry);
    case 'audit.verifying':
      return (
        Number.isSafeInteger(value.done) && Number.isSafeInteger(value.total) && (value.done as number) >= 0
      );
    case 'connections.changed':
      return typeof value.id === 'string' && typeof value.change === 'string';
    case 'session.locked':
    case 'session.ended':
      return typeof value.reason === 'string';
    case 'session.unlocked':
      return true;
    case 'services.changed':
      return isServiceStatus(value.service);
    default:
      return isEngineEvent(value, type);
  }
}

/** Parses one server-sent message's data; null when it is not a LiveEvent. */
export function parseLiveEvent(data: unknown): LiveEvent | null {
  if (typeof data !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(data);
    return isLiveEvent(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

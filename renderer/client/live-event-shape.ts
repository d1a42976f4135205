import type { LiveEvent, LiveEventType } from '../../shared/contract/events.js';
import { EVENT_AUDIENCE } from '../../shared/contract/events.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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

const KNOWN_TYPES = new Set<string>(Object.keys(EVENT_AUDIENCE));

/**
 * Checks that a pushed message is a LiveEvent this console understands. Events from a newer server
 * (unknown types) or damaged messages are dropped instead of reaching stores that would misread them;
 * the events the stores act on are checked field by field.
 */
export function isLiveEvent(value: unknown): value is LiveEvent {
  if (!isRecord(value) || typeof value.type !== 'string' || !KNOWN_TYPES.has(value.type)) return false;
  const type = value.type as LiveEventType;
  switch (type) {
    case 'audit.appended':
      return isAuditEntry(value.entry);
    case 'connections.changed':
      return typeof value.id === 'string' && typeof value.change === 'string';
    case 'session.locked':
    case 'session.ended':
      return typeof value.reason === 'string';
    default:
      // Events no page of this console acts on yet pass with their type checked only.
      return true;
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

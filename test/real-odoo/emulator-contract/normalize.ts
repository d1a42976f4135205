import type { StepContext } from './replay.js';

/**
 * What may differ between two correct servers, taken out before answers are compared: tracebacks
 * (frames and line numbers), timestamps, and the ids and uids each database hands out. Everything
 * else (error classes, messages, row messages with their type, field and help, result shapes and
 * values) must be equal.
 */

const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

function text(value: string, context: StepContext): string {
  return value
    .replace(new RegExp(`User: ${context.uid('admin')}\\b`, 'g'), 'User: <admin>')
    .replace(new RegExp(`User: ${context.uid('integration')}\\b`, 'g'), 'User: <integration>')
    .replace(/\(id \d+\)/g, '(id <id>)')
    .replace(/found record of different model (\S+) \(\d+\)/g, 'found record of different model $1 (<id>)');
}

/** The answer without its traceback, with uids in messages named and datetimes blanked. */
export function normalizeAnswer(value: unknown, context: StepContext, key = ''): unknown {
  if (typeof value === 'string') return DATETIME.test(value) ? '<datetime>' : text(value, context);
  if (Array.isArray(value)) return value.map((item) => normalizeAnswer(item, context));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    // The traceback: frames and line numbers are the server's own business.
    if (name === 'debug' && key === 'data') continue;
    // JSON-2's error body: only that a traceback is there (a non-empty string) is compared.
    if (name === 'debug' && key === 'error') {
      out[name] = typeof item === 'string' && item !== '' ? '<traceback>' : item;
      continue;
    }
    out[name] = normalizeAnswer(item, context, name);
  }
  return out;
}

/** Record ids in a read/search_read answer: the same rows, whatever ids each server gave them. */
export function withoutIds(rows: unknown): unknown {
  if (!Array.isArray(rows)) return rows;
  return (rows as unknown[]).map((row) => {
    if (typeof row !== 'object' || row === null) return row;
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(row as Record<string, unknown>)) {
      if (name === 'id') out[name] = '<id>';
      else if (
        Array.isArray(value) &&
        value.length === 2 &&
        typeof value[0] === 'number' &&
        typeof value[1] === 'string'
      )
        out[name] = ['<id>', value[1]];
      else if (Array.isArray(value) && value.every((item) => typeof item === 'number'))
        out[name] = `<${value.length} ids>`;
      else out[name] = value;
    }
    return out;
  });
}

/** A `load` answer with its ids counted, not listed. */
export function loadView(answer: { result?: { ids?: unknown } }): unknown {
  const result = answer.result;
  if (result === undefined || !Array.isArray(result.ids)) return answer;
  return { ...answer, result: { ...result, ids: `<${result.ids.length} ids>` } };
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A datetime-local value ('2026-12-02T09:30') read in the operator's time zone, as an ISO instant
 * with that zone's offset ('2026-12-02T09:30:00+01:00'): what the operator meant, stated exactly.
 * '' (an open end) stays ''; an unreadable value gives null.
 */
export function localInputToIso(value: string): string | null {
  if (value.trim() === '') return '';
  const at = new Date(value);
  if (Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null;
  const offset = -at.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  const date = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
  return `${date}T${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}${zone}`;
}

/** The other way, for showing a filter's instant in a datetime-local input ('' when unset). */
export function isoToLocalInput(iso: string): string {
  const at = new Date(iso);
  if (iso === '' || Number.isNaN(at.getTime())) return '';
  const date = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
  return `${date}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** 'audit-2026-11-01_2026-12-01.csv': the period in the file name (local dates), or 'all' for an open end. */
export function exportFileName(from: string, to: string, now: Date): string {
  const day = (iso: string) => isoToLocalInput(iso).slice(0, 10);
  return `audit-${from === '' ? 'start' : day(from)}_${to === '' ? day(now.toISOString()) : day(to)}.csv`;
}

import { describe, expect, it } from 'vitest';
import { escapeLabelValue, formatExposition, formatValue } from '../../../main/server/metrics/exposition.js';
import { metricsText } from '../../../main/server/metrics/metric-families.js';
import type { MetricsSnapshot } from '../../../main/server/metrics/metrics-snapshot.js';

const NOW = Date.parse('2026-12-02T12:00:00.000Z');

/** One flow with an awkward name, one deleted flow, two connections (one open and degraded). */
const snapshot: MetricsSnapshot = {
  now: NOW,
  readSeconds: 0.0025,
  flows: [
    {
      id: 'f1',
      name: 'Lab "A"\\B\nC',
      enabled: 1,
      lastSuccessAt: '2026-12-02T11:50:00.000Z',
      objectiveMinutes: 5,
    },
  ],
  connections: [
    { id: 'c1', name: 'Odoo', breakerState: 'open', degraded: 1 },
    { id: 'c2', name: 'FHIR', breakerState: null, degraded: 0 },
  ],
  runs: [
    {
      flowId: 'f1',
      status: 'running',
      runs: 1,
      written: 3,
      unchanged: 0,
      failed: 0,
      deferred: 0,
      drained: 0,
      durationSum: 0,
      durationCount: 0,
    },
    {
      flowId: 'f1',
      status: 'succeeded',
      runs: 2,
      written: 10,
      unchanged: 5,
      failed: 0,
      deferred: 4,
      drained: 1,
      durationSum: 1.5,
      durationCount: 2,
    },
    {
      flowId: 'gone',
      status: 'failed',
      runs: 1,
      written: 0,
      unchanged: 0,
      failed: 2,
      deferred: 0,
      drained: 0,
      durationSum: 0.25,
      durationCount: 1,
    },
  ],
  recordFailures: [{ flowId: 'gone', stage: 'load', failures: 2 }],
  exceptions: [{ flowId: 'f1', state: 'open', exceptions: 7 }],
  outbox: [{ flowId: 'f1', connectionId: 'c1', waiting: 4, oldestQueuedAt: '2026-12-02T11:59:00.000Z' }],
  targetTiming: [{ flowId: 'f1', typicalMs: 1250 }],
  targetCallsInFlight: [],
};

const F1 = 'flow="Lab \\"A\\"\\\\B\\nC",flow_id="f1"';
const GONE = 'flow="(deleted flow)",flow_id="gone"';

const EXPECTED = `# HELP osc_runs_total Finished runs by flow and final status.
# TYPE osc_runs_total counter
osc_runs_total{${F1},status="succeeded"} 2
osc_runs_total{${GONE},status="failed"} 1
# HELP osc_runs_active Runs queued, running or paused now, by flow and status.
# TYPE osc_runs_active gauge
osc_runs_active{${F1},status="running"} 1
# HELP osc_records_total Records by flow and outcome: written to the target, unchanged (skipped by payload hash), failed, deferred to the outbox, drained from it.
# TYPE osc_records_total counter
osc_records_total{${F1},outcome="written"} 13
osc_records_total{${F1},outcome="unchanged"} 5
osc_records_total{${F1},outcome="failed"} 0
osc_records_total{${F1},outcome="deferred"} 4
osc_records_total{${F1},outcome="drained"} 1
osc_records_total{${GONE},outcome="written"} 0
osc_records_total{${GONE},outcome="unchanged"} 0
osc_records_total{${GONE},outcome="failed"} 2
osc_records_total{${GONE},outcome="deferred"} 0
osc_records_total{${GONE},outcome="drained"} 0
# HELP osc_run_duration_seconds Wall time of finished runs (start to finish), by flow; no quantiles are kept.
# TYPE osc_run_duration_seconds summary
osc_run_duration_seconds_sum{${F1}} 1.5
osc_run_duration_seconds_count{${F1}} 2
osc_run_duration_seconds_sum{${GONE}} 0.25
osc_run_duration_seconds_count{${GONE}} 1
# HELP osc_record_failures_total Record failures by flow and stage (extract, map, validate, load), one per failed attempt.
# TYPE osc_record_failures_total counter
osc_record_failures_total{${GONE},stage="load"} 2
# HELP osc_exceptions_open Unsettled exceptions (open, retrying, dead) by flow and state.
# TYPE osc_exceptions_open gauge
osc_exceptions_open{${F1},state="open"} 7
# HELP osc_flow_enabled 1 when the flow is enabled.
# TYPE osc_flow_enabled gauge
osc_flow_enabled{${F1}} 1
# HELP osc_flow_last_success_timestamp_seconds When the flow last finished a run without a run-level error (Unix time).
# TYPE osc_flow_last_success_timestamp_seconds gauge
osc_flow_last_success_timestamp_seconds{${F1}} 1796212200
# HELP osc_flow_freshness_seconds Age of the flow's data: now minus its last success.
# TYPE osc_flow_freshness_seconds gauge
osc_flow_freshness_seconds{${F1}} 600
# HELP osc_flow_freshness_objective_seconds The flow's freshness objective (data at most this old); flows without one are absent.
# TYPE osc_flow_freshness_objective_seconds gauge
osc_flow_freshness_objective_seconds{${F1}} 300
# HELP osc_flow_freshness_breached 1 when the flow's data is older than its objective (or it never succeeded), else 0.
# TYPE osc_flow_freshness_breached gauge
osc_flow_freshness_breached{${F1}} 1
# HELP osc_target_call_typical_duration_seconds Moving average of how long the flow's answered target calls (one batch write) take.
# TYPE osc_target_call_typical_duration_seconds gauge
osc_target_call_typical_duration_seconds{${F1}} 1.25
# HELP osc_target_calls_in_flight Target calls sent and not yet answered, by flow.
# TYPE osc_target_calls_in_flight gauge
# HELP osc_outbox_waiting_writes Writes waiting in the outbox (breaker open, target degraded, or behind one), by flow and target connection.
# TYPE osc_outbox_waiting_writes gauge
osc_outbox_waiting_writes{${F1},connection="Odoo",connection_id="c1"} 4
# HELP osc_outbox_oldest_write_age_seconds Age of the oldest waiting outbox write, by flow and target connection.
# TYPE osc_outbox_oldest_write_age_seconds gauge
osc_outbox_oldest_write_age_seconds{${F1},connection="Odoo",connection_id="c1"} 60
# HELP osc_connection_breaker_state The connection's circuit breaker: 1 for its current state (closed, open, half-open), 0 for the others.
# TYPE osc_connection_breaker_state gauge
osc_connection_breaker_state{connection="Odoo",connection_id="c1",state="closed"} 0
osc_connection_breaker_state{connection="Odoo",connection_id="c1",state="open"} 1
osc_connection_breaker_state{connection="Odoo",connection_id="c1",state="half-open"} 0
osc_connection_breaker_state{connection="FHIR",connection_id="c2",state="closed"} 1
osc_connection_breaker_state{connection="FHIR",connection_id="c2",state="open"} 0
osc_connection_breaker_state{connection="FHIR",connection_id="c2",state="half-open"} 0
# HELP osc_connection_degraded 1 when an administrator switched the connection to degraded mode.
# TYPE osc_connection_degraded gauge
osc_connection_degraded{connection="Odoo",connection_id="c1"} 1
osc_connection_degraded{connection="FHIR",connection_id="c2"} 0
# HELP osc_metrics_read_duration_seconds How long this scrape's store read took.
# TYPE osc_metrics_read_duration_seconds gauge
osc_metrics_read_duration_seconds 0.0025
`;

/**
 * The 0.0.4 line grammar, one regex per line kind: a comment (HELP/TYPE), or a sample whose label
 * values contain only escaped backslashes, quotes and line feeds.
 */
const HELP = /^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* ([^\\\n]|\\\\|\\n)*$/;
const TYPE = /^# TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|summary|histogram|untyped)$/;
const LABEL_VALUE = String.raw`"(?:[^"\\\n]|\\\\|\\"|\\n)*"`;
const LABEL = String.raw`[a-zA-Z_][a-zA-Z0-9_]*=${LABEL_VALUE}`;
const SAMPLE = new RegExp(
  String.raw`^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?:${LABEL}(?:,${LABEL})*)?\})? ([-+]?(?:[0-9.]+(?:e[-+]?[0-9]+)?|Inf)|NaN)$`,
);

/** A tiny reader of the format: label values unescaped, so a round trip can be checked. */
function parseSamples(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  const samples: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([^{ ]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`unparsable line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1] ?? ''] = (pair[2] ?? '').replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    const raw = match[3] ?? '';
    samples.push({
      name: match[1] ?? '',
      labels,
      value: raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw),
    });
  }
  return samples;
}

describe('metrics exposition (Prometheus text 0.0.4)', () => {
  it('renders a snapshot to exactly the expected text', () => {
    expect(metricsText(snapshot)).toBe(EXPECTED);
  });

  it("writes only lines of the format's grammar, each family typed once before its samples", () => {
    const text = metricsText(snapshot);
    expect(text.endsWith('\n')).toBe(true);
    const typed = new Set<string>();
    for (const line of text.slice(0, -1).split('\n')) {
      if (line.startsWith('# HELP ')) expect(line).toMatch(HELP);
      else if (line.startsWith('# TYPE ')) {
        expect(line).toMatch(TYPE);
        const name = line.split(' ')[2] ?? '';
        expect(typed.has(name)).toBe(false);
        typed.add(name);
      } else {
        const match = SAMPLE.exec(line);
        expect(match, line).not.toBeNull();
        const name = match?.[1] ?? '';
        const base = name.replace(/_(sum|count|bucket)$/, '');
        expect(typed.has(name) || typed.has(base), line).toBe(true);
      }
    }
    for (const name of typed) {
      if (text.includes(`# TYPE ${name} counter`)) expect(name).toMatch(/_total$/);
    }
  });

  it('reads back the awkward flow name exactly, with its quote, backslash and line feed', () => {
    const read = parseSamples(metricsText(snapshot));
    const freshness = read.find((s) => s.name === 'osc_flow_freshness_seconds');
    expect(freshness).toEqual({
      name: 'osc_flow_freshness_seconds',
      labels: { flow: 'Lab "A"\\B\nC', flow_id: 'f1' },
      value: 600,
    });
  });

  it('escapes label values and HELP text, and spells special values as Go parses them', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatValue(Infinity)).toBe('+Inf');
    expect(formatValue(-Infinity)).toBe('-Inf');
    expect(formatValue(1e-7)).toBe('1e-7');
    const text = formatExposition([
      {
        name: 'x_total',
        type: 'counter',
        help: 'back\\slash "quoted"\nnext',
        samples: [{ labels: {}, value: 1 }],
      },
    ]);
    expect(text).toBe('# HELP x_total back\\\\slash "quoted"\\nnext\n# TYPE x_total counter\nx_total 1\n');
  });

  it('refuses invalid metric or label names and a family twice (builder bugs, not data)', () => {
    const sample = { labels: {}, value: 1 };
    expect(() =>
      formatExposition([{ name: 'bad-name', type: 'gauge', help: '', samples: [sample] }]),
    ).toThrow(/metric name/);
    expect(() =>
      formatExposition([
        { name: 'ok', type: 'gauge', help: '', samples: [{ labels: { 'bad-label': 'v' }, value: 1 }] },
      ]),
    ).toThrow(/label name/);
    const twice = { name: 'ok', type: 'gauge' as const, help: '', samples: [sample] };
    expect(() => formatExposition([twice, twice])).toThrow(/twice/);
  });

  it('counts a flow that never succeeded as breached when it has an objective', () => {
    const never = { ...snapshot, flows: [{ ...snapshot.flows[0]!, lastSuccessAt: null }] };
    const read = parseSamples(metricsText(never));
    expect(read.find((s) => s.name === 'osc_flow_freshness_breached')?.value).toBe(1);
    expect(read.some((s) => s.name === 'osc_flow_freshness_seconds')).toBe(false);
  });
});

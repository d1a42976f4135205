import { formatExposition, type Labels, type MetricFamily, type Sample } from './exposition.js';
import type { FlowRow, MetricsSnapshot, RunGroupRow } from './metrics-snapshot.js';

/**
 * The console's metrics from one store snapshot. Names follow OpenTelemetry's naming guidance as the
 * Prometheus exporter renders it (unit as a suffix: _seconds; counters end in _total), all under
 * `osc_` because no semantic convention covers sync runs. Labels carry human names (flow,
 * connection) and the stable ids next to them (flow_id, connection_id) so a rename does not break a
 * dashboard; never a payload, an error text or a secret.
 */

/** Statuses a run never leaves: counting them is monotonic (a counter); the rest is a gauge. */
const FINISHED = ['succeeded', 'completed-with-failures', 'failed', 'cancelled', 'interrupted'];
const ACTIVE = ['queued', 'running', 'paused'];
const BREAKER_STATES = ['closed', 'open', 'half-open'] as const;
const RECORD_OUTCOMES = ['written', 'unchanged', 'failed', 'deferred', 'drained'] as const;
/** Runs of a flow that has since been deleted keep counting under this name. */
export const DELETED_FLOW = '(deleted flow)';

function family(name: string, type: MetricFamily['type'], help: string, samples: Sample[]): MetricFamily {
  return { name, type, help, samples };
}

function seconds(iso: string | null): number | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms / 1000;
}

function runFamilies(runs: readonly RunGroupRow[], flowLabels: (id: string) => Labels): MetricFamily[] {
  const finished: Sample[] = [];
  const active: Sample[] = [];
  const records = new Map<string, Record<(typeof RECORD_OUTCOMES)[number], number>>();
  const durations = new Map<string, { sum: number; count: number }>();
  for (const row of runs) {
    const labels = { ...flowLabels(row.flowId), status: row.status };
    if (FINISHED.includes(row.status)) finished.push({ labels, value: row.runs });
    if (ACTIVE.includes(row.status)) active.push({ labels, value: row.runs });
    const total = records.get(row.flowId) ?? { written: 0, unchanged: 0, failed: 0, deferred: 0, drained: 0 };
    for (const outcome of RECORD_OUTCOMES) total[outcome] += row[outcome];
    records.set(row.flowId, total);
    const duration = durations.get(row.flowId) ?? { sum: 0, count: 0 };
    durations.set(row.flowId, {
      sum: duration.sum + row.durationSum,
      count: duration.count + row.durationCount,
    });
  }
  const recordSamples = [...records].flatMap(([flowId, total]) =>
    RECORD_OUTCOMES.map((outcome) => ({ labels: { ...flowLabels(flowId), outcome }, value: total[outcome] })),
  );
  const durationSamples = [...durations].flatMap(([flowId, d]): Sample[] => [
    { suffix: '_sum', labels: flowLabels(flowId), value: d.sum },
    { suffix: '_count', labels: flowLabels(flowId), value: d.count },
  ]);
  return [
    family('osc_runs_total', 'counter', 'Finished runs by flow and final status.', finished),
    family('osc_runs_active', 'gauge', 'Runs queued, running or paused now, by flow and status.', active),
    family(
      'osc_records_total',
      'counter',
      'Records by flow and outcome: written to the target, unchanged (skipped by payload hash), failed, deferred to the outbox, drained from it.',
      recordSamples,
    ),
    family(
      'osc_run_duration_seconds',
      'summary',
      'Wall time of finished runs (start to finish), by flow; no quantiles are kept.',
      durationSamples,
    ),
  ];
}

function freshnessFamilies(flows: readonly FlowRow[], now: number, flowLabels: (id: string) => Labels) {
  const lastSuccess: Sample[] = [];
  const freshness: Sample[] = [];
  const objective: Sample[] = [];
  const breached: Sample[] = [];
  const enabled: Sample[] = [];
  for (const flow of flows) {
    const labels = flowLabels(flow.id);
    enabled.push({ labels, value: flow.enabled ? 1 : 0 });
    const last = seconds(flow.lastSuccessAt);
    const age = last === null ? null : Math.max(0, now / 1000 - last);
    if (last !== null && age !== null) {
      lastSuccess.push({ labels, value: last });
      freshness.push({ labels, value: age });
    }
    if (flow.objectiveMinutes !== null) {
      const limit = flow.objectiveMinutes * 60;
      objective.push({ labels, value: limit });
      // Never synced counts as breached: the objective is "data at most N minutes old".
      breached.push({ labels, value: age === null || age > limit ? 1 : 0 });
    }
  }
  return [
    family('osc_flow_enabled', 'gauge', '1 when the flow is enabled.', enabled),
    family(
      'osc_flow_last_success_timestamp_seconds',
      'gauge',
      'When the flow last finished a run without a run-level error (Unix time).',
      lastSuccess,
    ),
    family(
      'osc_flow_freshness_seconds',
      'gauge',
      "Age of the flow's data: now minus its last success.",
      freshness,
    ),
    family(
      'osc_flow_freshness_objective_seconds',
      'gauge',
      "The flow's freshness objective (data at most this old); flows without one are absent.",
      objective,
    ),
    family(
      'osc_flow_freshness_breached',
      'gauge',
      "1 when the flow's data is older than its objective (or it never succeeded), else 0.",
      breached,
    ),
  ];
}

/** Every family of one scrape, in a fixed order. */
export function metricFamilies(snapshot: MetricsSnapshot): MetricFamily[] {
  const flowNames = new Map(snapshot.flows.map((flow) => [flow.id, flow.name]));
  const flowLabels = (id: string): Labels => ({ flow: flowNames.get(id) ?? DELETED_FLOW, flow_id: id });
  const connectionNames = new Map(snapshot.connections.map((c) => [c.id, c.name]));
  const connectionLabels = (id: string): Labels => ({
    connection: connectionNames.get(id) ?? '(deleted connection)',
    connection_id: id,
  });
  const now = snapshot.now;
  return [
    ...runFamilies(snapshot.runs, flowLabels),
    family(
      'osc_record_failures_total',
      'counter',
      'Record failures by flow and stage (extract, map, validate, load), one per failed attempt.',
      snapshot.recordFailures.map((row) => ({
        labels: { ...flowLabels(row.flowId), stage: row.stage },
        value: row.failures,
      })),
    ),
    family(
      'osc_exceptions_open',
      'gauge',
      'Unsettled exceptions (open, retrying, dead) by flow and state.',
      snapshot.exceptions.map((row) => ({
        labels: { ...flowLabels(row.flowId), state: row.state },
        value: row.exceptions,
      })),
    ),
    ...freshnessFamilies(snapshot.flows, now, flowLabels),
    family(
      'osc_target_call_typical_duration_seconds',
      'gauge',
      "Moving average of how long the flow's answered target calls (one batch write) take.",
      snapshot.targetTiming.map((row) => ({ labels: flowLabels(row.flowId), value: row.typicalMs / 1000 })),
    ),
    family(
      'osc_target_calls_in_flight',
      'gauge',
      'Target calls sent and not yet answered, by flow.',
      snapshot.targetCallsInFlight.map((row) => ({ labels: flowLabels(row.flowId), value: row.calls })),
    ),
    family(
      'osc_outbox_waiting_writes',
      'gauge',
      'Writes waiting in the outbox (breaker open, target degraded, or behind one), by flow and target connection.',
      snapshot.outbox.map((row) => ({
        labels: { ...flowLabels(row.flowId), ...connectionLabels(row.connectionId) },
        value: row.waiting,
      })),
    ),
    family(
      'osc_outbox_oldest_write_age_seconds',
      'gauge',
      'Age of the oldest waiting outbox write, by flow and target connection.',
      snapshot.outbox.map((row) => ({
        labels: { ...flowLabels(row.flowId), ...connectionLabels(row.connectionId) },
        value: Math.max(0, now / 1000 - (seconds(row.oldestQueuedAt) ?? now / 1000)),
      })),
    ),
    family(
      'osc_connection_breaker_state',
      'gauge',
      "The connection's circuit breaker: 1 for its current state (closed, open, half-open), 0 for the others.",
      snapshot.connections.flatMap((c) =>
        BREAKER_STATES.map((state) => ({
          labels: { ...connectionLabels(c.id), state },
          value: (c.breakerState ?? 'closed') === state ? 1 : 0,
        })),
      ),
    ),
    family(
      'osc_connection_degraded',
      'gauge',
      '1 when an administrator switched the connection to degraded mode.',
      snapshot.connections.map((c) => ({ labels: connectionLabels(c.id), value: c.degraded ? 1 : 0 })),
    ),
    family('osc_metrics_read_duration_seconds', 'gauge', "How long this scrape's store read took.", [
      { labels: {}, value: snapshot.readSeconds },
    ]),
  ];
}

/** The /metrics body for one snapshot. */
export function metricsText(snapshot: MetricsSnapshot): string {
  return formatExposition(metricFamilies(snapshot));
}

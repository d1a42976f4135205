import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import type { Flow } from '../../../shared/domain/flow.js';
import type { MappingWithVersions } from '../../../shared/domain/mapping.js';
import type { ShadowGate, ShadowReport, ShadowRunSummary } from '../../../shared/domain/shadow.js';
import { useOps } from '../../app/client-context.js';
import { absoluteTime } from '../../app/format-time.js';
import { useCan } from '../../app/use-can.js';
import { Alert } from '../../components/Alert.js';
import { ShadowGateForm } from './ShadowGateForm.js';
import { ShadowReportView } from './ShadowReportView.js';

const POLL_MS = 700;

/**
 * Shadow runs of a mapping's draft or approved versions (issue 12): pick a flow that uses the mapping
 * and a version, run it over the flow's last records (nothing is written anywhere), and read the
 * report. Also shows the mapping's promotion gate and its recent shadow runs.
 */
export function ShadowRunPanel({ mapping }: { readonly mapping: MappingWithVersions }) {
  const ops = useOps();
  const canStart = useCan('shadow.start');
  const canSetGate = useCan('shadow.setGate');
  const [flows, setFlows] = useState<readonly Flow[]>([]);
  const [flowId, setFlowId] = useState('');
  const [runs, setRuns] = useState<readonly ShadowRunSummary[]>([]);
  const [gate, setGate] = useState<ShadowGate | null>(null);
  const [report, setReport] = useState<ShadowReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [limit, setLimit] = useState(100);
  const candidates = mapping.versions.filter((v) => v.status === 'draft' || v.status === 'approved');

  async function refresh() {
    const [listed, gated] = await Promise.all([
      ops['shadow.list']({ mappingId: mapping.id, limit: 10 }),
      ops['shadow.gate']({ mappingId: mapping.id }),
    ]);
    if (listed.ok) setRuns(listed.value);
    if (gated.ok) setGate(gated.value);
  }

  useEffect(() => {
    void (async () => {
      const found = await ops['flows.list']({});
      if (found.ok) {
        const using = found.value.filter((flow) => flow.mappingId === mapping.id);
        setFlows(using);
        setFlowId(using[0]?.id ?? '');
      }
      await refresh();
    })();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per mapping (the page keys the panel)
  }, [ops, mapping.id]);

  // A running report is read again until it finishes.
  useEffect(() => {
    if (report?.run.state !== 'running') return undefined;
    const timer = setTimeout(() => {
      void ops['shadow.report']({ id: report.run.id }).then((next) => {
        if (next.ok) setReport(next.value);
        if (next.ok && next.value.run.state !== 'running') void refresh();
      });
    }, POLL_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- refresh only reads
  }, [ops, report]);

  async function start(version: number) {
    setError(null);
    const started = await ops['shadow.start']({ flowId, version, limit });
    if (!started.ok) {
      setError(started.error.message);
      return;
    }
    const first = await ops['shadow.report']({ id: started.value.id });
    if (first.ok) setReport(first.value);
  }

  async function open(id: string) {
    setError(null);
    const found = await ops['shadow.report']({ id });
    if (found.ok) setReport(found.value);
    else setError(found.error.message);
  }

  return (
    <section className="shadow-panel" aria-labelledby="shadow-heading">
      <h3 id="shadow-heading">Shadow runs</h3>
      {gate !== null && (
        <p className="muted">
          {gate.periodsRequired === 0
            ? 'No promotion gate: a version may be activated without shadow runs.'
            : `Activation needs ${gate.periodsRequired} clean shadow period(s) (days). ` +
              (gate.cleanPeriods.map((c) => `v${c.version}: ${c.periods}`).join(', ') ||
                'No clean period yet.')}
        </p>
      )}
      {gate !== null && canSetGate && (
        <ShadowGateForm key={gate.periodsRequired} gate={gate} onSaved={setGate} />
      )}
      {error !== null && <Alert tone="error">{error}</Alert>}
      {canStart && candidates.length > 0 && (
        <div className="row-actions">
          {flows.length === 0 ? (
            <span className="muted">No flow uses this mapping: a shadow run reads a flow's source.</span>
          ) : (
            <>
              <label>
                Flow{' '}
                <select value={flowId} onChange={(event) => setFlowId(event.target.value)}>
                  {flows.map((flow) => (
                    <option key={flow.id} value={flow.id}>
                      {flow.name}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Last records{' '}
                <input
                  type="number"
                  min={1}
                  max={1000}
                  value={limit}
                  onChange={(event) => setLimit(Math.max(1, Math.min(1000, Number(event.target.value) || 1)))}
                />
              </label>
              {candidates.map((version) => (
                <Button
                  key={version.version}
                  className="button button-small"
                  aria-label={`Shadow run version ${version.version}`}
                  onPress={() => void start(version.version)}
                >
                  Shadow run v{version.version}
                </Button>
              ))}
            </>
          )}
        </div>
      )}
      {runs.length > 0 && (
        <ul className="shadow-runs">
          {runs.map((run) => (
            <li key={run.id}>
              <Button className="button button-small" onPress={() => void open(run.id)}>
                v{run.version} · <time dateTime={run.startedAt}>{absoluteTime(run.startedAt)}</time> ·{' '}
                {run.state === 'finished' ? (run.clean ? 'clean' : 'not clean') : run.state} · {run.differing}{' '}
                differing, {run.refused} refused
              </Button>
            </li>
          ))}
        </ul>
      )}
      {report !== null && <ShadowReportView report={report} />}
    </section>
  );
}

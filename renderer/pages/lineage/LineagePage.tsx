import { useEffect, useState, type SubmitEvent } from 'react';
import { Button } from 'react-aria-components';
import type { LineageEntry, LineageTrail } from '../../../shared/domain/lineage.js';
import { useOps } from '../../app/client-context.js';
import { Alert } from '../../components/Alert.js';
import { TextInput } from '../../components/TextInput.js';
import { LineageTable } from './LineageTable.js';
import { sourceFromHash, sourceQuery, targetQuery } from './lineage-query.js';

type Answer =
  | { readonly kind: 'none' }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'trail'; readonly trail: LineageTrail; readonly label: string };

/** Record lineage both ways: what a source record became, and where a target record came from. */
export function LineagePage() {
  const ops = useOps();
  // A link from another page (an exception's detail, an audit row) names the source record to look up.
  const [linked] = useState(() => sourceFromHash(typeof window === 'undefined' ? '' : window.location.hash));
  const [sourceId, setSourceId] = useState(linked?.sourceId ?? '');
  const [sourceType, setSourceType] = useState(linked?.sourceType ?? '');
  const [targetModel, setTargetModel] = useState('');
  const [targetKey, setTargetKey] = useState('');
  const [targetId, setTargetId] = useState('');
  const [answer, setAnswer] = useState<Answer>({ kind: 'none' });
  const [busy, setBusy] = useState(false);

  async function findSource(id: string, type: string) {
    const read = sourceQuery(id, type);
    if (!read.ok) return setAnswer({ kind: 'error', message: read.message });
    setBusy(true);
    const result = await ops['lineage.bySource'](read.input);
    setBusy(false);
    setAnswer(
      result.ok
        ? { kind: 'trail', trail: result.value, label: `What source record ${read.input.sourceId} became` }
        : { kind: 'error', message: result.error.message },
    );
  }

  async function findTarget(model: string, key: string, id: string) {
    const read = targetQuery(model, key, id);
    if (!read.ok) return setAnswer({ kind: 'error', message: read.message });
    setBusy(true);
    const result = await ops['lineage.byTarget'](read.input);
    setBusy(false);
    setAnswer(
      result.ok
        ? { kind: 'trail', trail: result.value, label: `Where ${read.input.targetModel} record came from` }
        : { kind: 'error', message: result.error.message },
    );
  }

  useEffect(() => {
    // Once, for the record a link named; later lookups come from the forms and the table.
    if (linked === null) return;
    let shown = true;
    const read = sourceQuery(linked.sourceId, linked.sourceType);
    if (read.ok)
      void ops['lineage.bySource'](read.input).then((result) => {
        if (!shown) return;
        setAnswer(
          result.ok
            ? {
                kind: 'trail',
                trail: result.value,
                label: `What source record ${read.input.sourceId} became`,
              }
            : { kind: 'error', message: result.error.message },
        );
      });
    return () => {
      shown = false;
    };
  }, [linked, ops]);

  /** Forwards from a row: the forms show what is being looked up, so the operator can adjust it. */
  function followSource(entry: LineageEntry) {
    setSourceId(entry.sourceId);
    setSourceType(entry.sourceType);
    void findSource(entry.sourceId, entry.sourceType);
  }

  /** Backwards from a row: by the external ID the engine wrote, which every write of it carries. */
  function followTarget(entry: LineageEntry) {
    setTargetModel(entry.targetModel);
    setTargetKey(entry.targetKey);
    setTargetId('');
    void findTarget(entry.targetModel, entry.targetKey, '');
  }

  return (
    <section className="page" aria-labelledby="lineage-heading">
      <header className="page-header">
        <h1 id="lineage-heading">Lineage</h1>
      </header>
      <p className="page-lead">
        Every write is recorded from source record to target record, with its run and mapping version. Click a
        source record to see what it became, a target record to see where it came from.
      </p>
      <div className="lineage-forms">
        <form
          noValidate
          className="form panel"
          aria-label="What did this source record become"
          onSubmit={(event: SubmitEvent<HTMLFormElement>) => {
            event.preventDefault();
            void findSource(sourceId, sourceType);
          }}
        >
          <h2 className="panel-subheading">What did this source record become?</h2>
          <TextInput label="Source record id" name="sourceId" value={sourceId} onChange={setSourceId} />
          <TextInput
            label="Source type"
            name="sourceType"
            value={sourceType}
            onChange={setSourceType}
            description="Optional, e.g. SupplyDelivery"
          />
          <div className="form-actions">
            <Button type="submit" className="button button-primary" isPending={busy}>
              Find what it became
            </Button>
          </div>
        </form>
        <form
          noValidate
          className="form panel"
          aria-label="Where did this Odoo record come from"
          onSubmit={(event: SubmitEvent<HTMLFormElement>) => {
            event.preventDefault();
            void findTarget(targetModel, targetKey, targetId);
          }}
        >
          <h2 className="panel-subheading">Where did this Odoo record come from?</h2>
          <TextInput
            label="Target model"
            name="targetModel"
            value={targetModel}
            onChange={setTargetModel}
            description="e.g. stock.move"
          />
          <TextInput label="External ID" name="targetKey" value={targetKey} onChange={setTargetKey} />
          <TextInput
            label="Target id"
            name="targetId"
            value={targetId}
            onChange={setTargetId}
            description="Or the record's database id"
          />
          <div className="form-actions">
            <Button type="submit" className="button button-primary" isPending={busy}>
              Find where it came from
            </Button>
          </div>
        </form>
      </div>
      {answer.kind === 'error' && <Alert tone="error">{answer.message}</Alert>}
      {answer.kind === 'trail' && (
        <LineageTable
          trail={answer.trail}
          label={answer.label}
          onSource={followSource}
          onTarget={followTarget}
        />
      )}
    </section>
  );
}

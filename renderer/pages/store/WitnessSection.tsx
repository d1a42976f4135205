import { useEffect, useState, type SubmitEvent } from 'react';
import { Button } from 'react-aria-components';
import { useStore } from 'zustand';
import { useOps } from '../../app/client-context.js';
import { Alert } from '../../components/Alert.js';
import { PasswordInput } from '../../components/PasswordInput.js';
import { TextInput } from '../../components/TextInput.js';
import { auditStorePageStore } from '../../stores/audit-store-page-store.js';
import { deliveryLine, witnessBusy, witnessFormErrors } from './audit-store-view.js';

const when = (iso: string): string => new Date(iso).toLocaleString();
/** While a delivery is on its way the page looks again this often (the witness retries on its own). */
const REFRESH_MS = 2000;

/**
 * The checkpoint witness (administrators): the URL every signed checkpoint is pushed to, its signing
 * secret (write-only: the field is empty and the page only learns whether one is saved), and the
 * latest deliveries.
 */
export function WitnessSection() {
  const ops = useOps();
  const witness = useStore(auditStorePageStore, (state) => state.witness);
  const [url, setUrl] = useState<string | null>(null);
  const [errors, setErrors] = useState<{ url?: string; secret?: string }>({});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [formKey, setFormKey] = useState(0);
  const shownUrl = url ?? witness?.url ?? '';
  const busyDeliveries = witness !== null && witnessBusy(witness.deliveries);

  useEffect(() => {
    if (!busyDeliveries) return;
    const timer = setInterval(() => void auditStorePageStore.getState().refreshWitness(ops), REFRESH_MS);
    return () => clearInterval(timer);
  }, [ops, busyDeliveries]);

  async function save(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const field = new FormData(event.currentTarget).get('witnessSecret');
    const secret = typeof field === 'string' ? field : '';
    const found = witnessFormErrors(shownUrl, secret, witness?.secretSaved ?? false);
    setErrors(found);
    if (found.url !== undefined || found.secret !== undefined) return;
    setBusy(true);
    const failed = await auditStorePageStore
      .getState()
      .setWitness(ops, shownUrl.trim(), secret === '' ? undefined : secret);
    setBusy(false);
    setError(failed);
    setSaved(failed === null ? 'Witness saved: signed checkpoints are pushed to it.' : null);
    // The secret field is emptied: the page never holds the secret longer than the call.
    if (failed === null) setFormKey((key) => key + 1);
  }

  async function act(action: 'off' | 'push') {
    setBusy(true);
    const store = auditStorePageStore.getState();
    const failed =
      action === 'off' ? await store.setWitness(ops, null, undefined) : await store.pushWitnessNow(ops);
    setBusy(false);
    setError(failed);
    if (failed === null && action === 'off') {
      setUrl('');
      setSaved('Witness turned off: checkpoints stay on this machine.');
    }
  }

  return (
    <section className="panel" aria-labelledby="witness-heading">
      <h2 id="witness-heading">Checkpoint witness</h2>
      <p className="muted">
        Every signed checkpoint is sent to a system the clinic chooses, signed with HMAC-SHA256 (the
        console&apos;s webhook signature, x-osc-signature), so a copy of each signed head lives outside this
        machine. A witness that is down gets it later.
      </p>
      <form
        key={formKey}
        className="form"
        aria-label="Witness settings"
        noValidate
        onSubmit={(e) => void save(e)}
      >
        <TextInput
          label="Witness URL"
          name="witnessUrl"
          type="url"
          inputMode="url"
          value={shownUrl}
          onChange={setUrl}
          error={errors.url}
          description="https, or http to this machine"
        />
        <PasswordInput
          label="Signing secret"
          name="witnessSecret"
          autoComplete="new-password"
          error={errors.secret}
          description={
            witness?.secretSaved === true
              ? 'A secret is saved in the OS keychain; leave empty to keep it.'
              : 'At least 16 characters; the witness checks the signature with it.'
          }
        />
        <div className="row-actions">
          <Button type="submit" className="button button-primary" isPending={busy}>
            Save witness
          </Button>
          {witness?.url !== null && witness !== null && (
            <>
              <Button className="button" isDisabled={busy} onPress={() => void act('push')}>
                Push now
              </Button>
              <Button className="button button-quiet" isDisabled={busy} onPress={() => void act('off')}>
                Turn off
              </Button>
            </>
          )}
        </div>
      </form>
      {error !== null && <Alert tone="error">{error}</Alert>}
      {saved !== null && error === null && <Alert tone="success">{saved}</Alert>}
      <h3>Latest deliveries</h3>
      {witness === null || witness.deliveries.length === 0 ? (
        <p>No checkpoint has been sent to a witness yet.</p>
      ) : (
        <ul className="plain-list" aria-label="Witness deliveries">
          {witness.deliveries.map((delivery) => (
            <li key={delivery.checkpointId} data-status={delivery.status}>
              {deliveryLine(delivery, when)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

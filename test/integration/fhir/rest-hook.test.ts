import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChargeItem, Subscription } from 'fhir/r4';
import { startFhirEmulator, type FhirEmulator } from '../../peers/fhir/index.js';
import { InboundEventStore } from '../../../main/connectors/webhook/inbound-event-store.js';
import {
  startWebhookListener,
  type WebhookListener,
} from '../../../main/connectors/webhook/webhook-listener.js';
import { memorySecrets, openPartnerTestDb, type PartnerTestDb } from '../webhook/partner-test-db.js';

const HOOK_SECRET = 'rest-hook-secret-for-tests';
const CONNECTION = 'conn_resthook00001';

describe('FHIR rest-hook Subscription → inbound listener', () => {
  let emulator: FhirEmulator;
  let store: PartnerTestDb;
  let listener: WebhookListener;
  beforeEach(async () => {
    store = openPartnerTestDb();
    emulator = await startFhirEmulator({ seed: 'empty' });
    listener = await startWebhookListener({
      events: new InboundEventStore(store.db),
      sources: (name) =>
        name === 'ehr'
          ? {
              connectionId: CONNECTION,
              settings: {
                kind: 'webhook-in',
                sourceName: 'ehr',
                maxBodyBytes: 65536,
                clockSkewSeconds: 300,
                ratePerMinute: 600,
              },
            }
          : null,
      secrets: memorySecrets({ [CONNECTION]: HOOK_SECRET }),
    });
  });
  afterEach(async () => {
    await emulator.close();
    await listener.close();
    store.cleanup();
  });

  const subscribe = (token: string, payload: boolean): void => {
    const subscription: Subscription & { id: string } = {
      resourceType: 'Subscription',
      id: `sub-${token.length}-${String(payload)}`,
      status: 'active',
      reason: 'Sync charges to Odoo',
      criteria: 'ChargeItem?status=billable',
      channel: {
        type: 'rest-hook',
        endpoint: `${listener.url}/fhir/ehr`,
        ...(payload ? { payload: 'application/fhir+json' } : {}),
        header: [`Authorization: Bearer ${token}`],
      },
    };
    emulator.state.put(subscription);
  };
  const charge = (id: string): ChargeItem & { id: string } => ({
    resourceType: 'ChargeItem',
    id,
    status: 'billable',
    code: { text: 'Consultation' },
    subject: { reference: 'Patient/pat-001' },
  });
  const rows = () =>
    store.db.prepare('SELECT event_id, event_type, channel FROM inbound_events ORDER BY seq').all();

  it('stores each new resource version once; a repeated notification for the same version is a replay', async () => {
    subscribe(HOOK_SECRET, true);
    emulator.state.put(charge('c1'));
    await emulator.state.settled();
    emulator.state.put({ ...charge('c1'), status: 'billed' });
    emulator.state.put({ resourceType: 'Patient', id: 'p1' }); // not subscribed
    await emulator.state.settled();
    expect(rows()).toEqual([
      { event_id: 'fhir:ChargeItem/c1/_history/1', event_type: 'fhir.ChargeItem', channel: 'fhir-rest-hook' },
      { event_id: 'fhir:ChargeItem/c1/_history/2', event_type: 'fhir.ChargeItem', channel: 'fhir-rest-hook' },
    ]);
    // A second subscription makes the server notify the same version twice: the second is a replay.
    const second: Subscription & { id: string } = {
      resourceType: 'Subscription',
      id: 'sub-duplicate',
      status: 'active',
      reason: 'A second subscriber',
      criteria: 'ChargeItem',
      channel: {
        type: 'rest-hook',
        endpoint: `${listener.url}/fhir/ehr`,
        payload: 'application/fhir+json',
        header: [`Authorization: Bearer ${HOOK_SECRET}`],
      },
    };
    emulator.state.put(second);
    emulator.state.put({ ...charge('c1'), status: 'billable' });
    await emulator.state.settled();
    const statuses = emulator.state.notifications
      .slice(-2)
      .map((notification) => notification.status)
      .sort();
    expect(statuses).toEqual([202, 409]);
  });

  it('refuses notifications with the wrong token, and stores payload-less pings', async () => {
    subscribe('wrong-token', true);
    emulator.state.put(charge('c2'));
    await emulator.state.settled();
    expect(emulator.state.notifications.at(-1)).toMatchObject({ status: 401 });
    expect(rows()).toEqual([]);

    emulator.state.put({
      ...(emulator.state.store.get('Subscription', 'sub-11-true')!.build() as Subscription & { id: string }),
      status: 'off',
    });
    subscribe(HOOK_SECRET, false);
    emulator.state.put(charge('c3'));
    await emulator.state.settled();
    expect(emulator.state.notifications.at(-1)).toMatchObject({ status: 202 });
    expect(rows()).toEqual([
      {
        event_id: expect.stringMatching(/^fhir-ping:/) as unknown,
        event_type: 'fhir.ping',
        channel: 'fhir-rest-hook',
      },
    ]);
  });
});

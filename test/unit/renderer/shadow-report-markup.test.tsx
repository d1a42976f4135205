import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ShadowRecordResult, ShadowReport } from '../../../shared/domain/shadow.js';
import { notableRecords, ShadowReportView } from '../../../renderer/pages/mappings/ShadowReportView.js';

const RUN: ShadowReport['run'] = {
  id: 'shadow_00000000000000000001',
  flowId: 'flow_aaaaaaaaaa',
  mappingId: 'map_aaaaaaaaaa',
  version: 2,
  activeVersion: 1,
  window: { since: null, limit: 100 },
  state: 'finished',
  startedAt: '2026-12-02T09:00:00.000Z',
  startedBy: 'it',
  finishedAt: '2026-12-02T09:00:01.000Z',
  period: '2026-12-02',
  records: 3,
  differing: 1,
  accepted: 2,
  refused: 1,
  unmapped: 0,
  unchecked: 0,
  clean: false,
  checkedBy: 'Odoo load in a transaction Odoo rolls back',
  error: null,
};

const record = (seq: number, extra: Partial<ShadowRecordResult>): ShadowRecordResult => ({
  seq,
  sourceId: `ChargeItem/c${seq}`,
  sourceVersion: '1',
  key: `charge_c${seq}`,
  targetId: String(10 + seq),
  activeMapped: true,
  verdict: 'accepted',
  message: null,
  diffs: [],
  ...extra,
});

const RECORDS = [
  record(0, {}),
  record(1, { diffs: [{ path: 'ref', active: 'c1', shadow: 'HIGH-c1', odoo: 'c1' }] }),
  record(2, {
    verdict: 'refused',
    message: "Wrong value for Type: 'bogus'",
    diffs: [{ path: 'move_type', active: 'out_invoice', shadow: 'bogus' }],
  }),
  record(3, { verdict: 'unmapped', activeMapped: false, message: 'The price is above policy.' }),
];

describe('shadow report markup', () => {
  it('lists only differing or refused records, the changed field highlighted with its values', () => {
    expect(notableRecords(RECORDS).map((r) => r.seq)).toEqual([1, 2, 3]);
    const html = renderToStaticMarkup(
      <ShadowReportView report={{ run: RUN, records: RECORDS, valuesShown: true }} />,
    );
    expect(html).toContain('<mark class="shadow-field">ref</mark>');
    expect(html).toContain('<mark class="shadow-field">move_type</mark>');
    expect(html).toContain('&quot;HIGH-c1&quot;');
    expect(html).toContain('Odoo would refuse');
    expect(html).toContain('Wrong value for Type: &#x27;bogus&#x27;');
    expect(html).not.toContain('ChargeItem/c0');
    expect(html).toContain('The price is above policy.');
    expect(html).toContain('not clean');
    expect(html).toContain('3 records, 1 differing, 2 accepted, 1 refused');
  });

  it('without values for roles that do not read payloads', () => {
    const hidden = RECORDS.map((r) => ({
      ...r,
      diffs: r.diffs?.map((d) => ({ path: d.path, active: null, shadow: null })) ?? null,
    }));
    const html = renderToStaticMarkup(
      <ShadowReportView report={{ run: RUN, records: hidden, valuesShown: false }} />,
    );
    expect(html).toContain('<mark class="shadow-field">ref</mark>');
    expect(html).not.toContain('Active version');
    expect(html).toContain('Values are hidden for your role');
  });

  it('a clean run with nothing to show says so', () => {
    const html = renderToStaticMarkup(
      <ShadowReportView
        report={{
          run: { ...RUN, clean: true, refused: 0, differing: 0 },
          records: [record(0, {})],
          valuesShown: true,
        }}
      />,
    );
    expect(html).toContain('>clean<');
    expect(html).toContain('Odoo would accept every one');
  });
});

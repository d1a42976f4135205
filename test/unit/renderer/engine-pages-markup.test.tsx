import { renderToStaticMarkup } from 'react-dom/server';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import type { OscBridge } from '../../../shared/contract/bridge.js';
import { ClientContext } from '../../../renderer/app/client-context.js';
import { visibleRoutes } from '../../../renderer/app/routes.js';
import { buildFlowRows } from '../../../renderer/pages/flows/flow-rows.js';
import { FlowsTable } from '../../../renderer/pages/flows/FlowsTable.js';
import { LineagePage } from '../../../renderer/pages/lineage/LineagePage.js';
import { LineageTable } from '../../../renderer/pages/lineage/LineageTable.js';
import { MappingDetail } from '../../../renderer/pages/mappings/MappingDetail.js';
import { DiffTable } from '../../../renderer/pages/mappings/MappingDiffView.js';
import { PreviewResults } from '../../../renderer/pages/mappings/PreviewDialog.js';
import { canCall } from '../../../renderer/app/use-can.js';
import { fakeOperations } from './fake-operations.js';
import { flowOf, mappingOf, progressOf, runOf, versionOf } from './engine-fixtures.js';

function render(node: ReactNode): string {
  const client: OscBridge = { operations: fakeOperations({}).ops, onEvent: () => () => undefined };
  return renderToStaticMarkup(<ClientContext.Provider value={client}>{node}</ClientContext.Provider>);
}

function buttonTexts(html: string): string[] {
  return [...html.matchAll(/<button[^>]*>(.*?)<\/button>/g)].map((match) =>
    match[1]!.replace(/<[^>]+>/g, ''),
  );
}

function labelTexts(html: string): string[] {
  return [...html.matchAll(/<label[^>]*>(.*?)<\/label>/g)].map((match) => match[1]!.replace(/<[^>]+>/g, ''));
}

const noop = () => undefined;
const ALL = { runNow: true, setEnabled: true, backfill: true, edit: true, controlRun: true };
const NONE = { runNow: false, setEnabled: false, backfill: false, edit: false, controlRun: false };
const NOW = new Date('2026-01-01T12:00:00Z');

function table(rows: ReturnType<typeof buildFlowRows>, allowed = ALL): string {
  return render(
    <FlowsTable
      rows={rows}
      allowed={allowed}
      openFlowId={null}
      onCommand={noop}
      onBackfill={noop}
      onEdit={noop}
      onShowRuns={noop}
    />,
  );
}

/** What the page passes for these roles, from the contract's access table. */
function allowedFor(role: 'administrator' | 'it-staff' | 'viewer') {
  return {
    approve: canCall([role], 'mappings.approve'),
    activate: canCall([role], 'mappings.activate'),
    preview: canCall([role], 'mappings.preview'),
  };
}

describe('navigation', () => {
  it('shows Flows, Mappings and Lineage to every role', () => {
    for (const role of ['viewer', 'finance', 'it-staff', 'administrator'] as const) {
      const labels = visibleRoutes([role]).map((info) => info.label);
      expect(labels, role).toEqual(expect.arrayContaining(['Flows', 'Mappings', 'Lineage']));
    }
  });
});

describe('flows table markup', () => {
  it('lists source → target, schedule, state, last run counts and freshness, with named actions', () => {
    const flow = flowOf({
      lastRunId: 'run_aaaaaaaaaa',
      freshnessObjectiveMinutes: 15,
      lastSuccessAt: '2026-01-01T11:58:00Z',
    });
    const rows = buildFlowRows(
      { flows: [flow], lastRuns: { [flow.id]: runOf() }, progress: {}, freshness: {} },
      [],
      NOW,
    );
    const html = table(rows);
    for (const header of ['Flow', 'Source → target', 'Schedule', 'State', 'Last run', 'Freshness'])
      expect(html).toContain(`>${header}</th>`);
    expect(html).toContain('Cron */5 * * * *');
    expect(html).toContain('Enabled · Idle');
    expect(html).toContain('read 10 · mapped 9 · unchanged 2 · written 7 · failed 1');
    expect(html).toContain('>Fresh</span>');
    expect(html).toContain('objective 15 min, last good sync');
    expect(buttonTexts(html)).toEqual(['Run now', 'Pause', 'Backfill from…', 'Edit', 'Runs']);
    expect(html).toContain('aria-label="Run now: Supply consumption"');
    expect(html).not.toContain('row-warning');
  });

  it('marks a breached objective as a warning and a paused flow with Resume', () => {
    const flow = flowOf({ enabled: false, state: 'disabled', freshnessObjectiveMinutes: 15 });
    const html = table(buildFlowRows({ flows: [flow], lastRuns: {}, progress: {}, freshness: {} }, [], NOW));
    expect(html).toContain('row-warning');
    expect(html).toContain('>Breached</span>');
    expect(html).toContain('title="Breached: objective 15 min, never synced"');
    expect(html).toContain('>Paused</span>');
    expect(html).toContain('Never run');
    // A paused schedule can still be run by hand.
    expect(buttonTexts(html)).toEqual(['Run now', 'Resume', 'Backfill from…', 'Edit', 'Runs']);
  });

  it('shows live progress of an active run with run controls instead of Run now', () => {
    const flow = flowOf();
    const running = table(
      buildFlowRows(
        { flows: [flow], lastRuns: {}, progress: { [flow.id]: progressOf() }, freshness: {} },
        [],
        NOW,
      ),
    );
    expect(running).toContain('1234 records/s · load latency 17 ms · queue 10');
    expect(running).toContain('read 40 · mapped 40 · unchanged 0 · written 30 · failed 0');
    expect(buttonTexts(running)).toEqual([
      'Pause run',
      'Cancel run',
      'Pause',
      'Backfill from…',
      'Edit',
      'Runs',
    ]);
    const paused = table(
      buildFlowRows(
        {
          flows: [flow],
          lastRuns: {},
          progress: { [flow.id]: progressOf({ status: 'paused' }) },
          freshness: {},
        },
        [],
        NOW,
      ),
    );
    expect(buttonTexts(paused)).toContain('Resume run');
  });

  it('offers a viewer only the runs list', () => {
    const html = table(
      buildFlowRows({ flows: [flowOf()], lastRuns: {}, progress: {}, freshness: {} }, [], NOW),
      NONE,
    );
    expect(buttonTexts(html)).toEqual(['Runs']);
  });
});

describe('mapping markup', () => {
  const mapping = mappingOf([
    versionOf({ version: 1, status: 'active', approvedBy: 'grace', activatedBy: 'grace' }),
    versionOf({ version: 2, status: 'approved', approvedBy: 'grace' }),
    versionOf({ version: 3, status: 'draft', note: 'new price rule' }),
  ]);

  it('gives an administrator Approve on drafts and Activate on approved versions', () => {
    const html = render(<MappingDetail mapping={mapping} allowed={allowedFor('administrator')} />);
    expect(html).toContain('aria-label="Approve version 3"');
    expect(html).toContain('aria-label="Activate version 2"');
    expect(html).not.toContain('Approve version 2');
    expect(html).toContain('new price rule');
    expect(html).toContain('approved by grace');
    expect(labelTexts(html)).toEqual(['From version', 'To version']);
  });

  it('gives IT staff Activate and Preview but not Approve; a viewer only Export', () => {
    const staff = render(<MappingDetail mapping={mapping} allowed={allowedFor('it-staff')} />);
    expect(staff).not.toContain('Approve version');
    expect(staff).toContain('Activate version 2');
    expect(staff).toContain('Preview version 3');
    const viewer = buttonTexts(render(<MappingDetail mapping={mapping} allowed={allowedFor('viewer')} />));
    expect(viewer).toEqual(['Export JSON', 'Close versions', 'Show changes']);
  });

  it('shows preview payloads and failing rules with their message', () => {
    const html = render(
      <PreviewResults
        results={[
          { index: 0, ok: true, key: 'clinic.move_1', payload: { name: 'Gauze' }, rules: [], error: null },
          {
            index: 1,
            ok: false,
            key: null,
            payload: null,
            rules: [{ id: 'has-name', severity: 'error', passed: false, message: 'A name is needed' }],
            error: 'Code X is not in value map supplies',
          },
        ]}
      />,
    );
    expect(html).toContain('clinic.move_1');
    expect(html).toContain('&quot;name&quot;: &quot;Gauze&quot;');
    expect(html).toContain('has-name</code>: A name is needed');
    expect(html).toContain('Code X is not in value map supplies');
  });

  it('lists diff changes by path, or says the versions are the same', () => {
    const html = render(
      <DiffTable
        diff={{
          mappingId: 'map_aaaaaaaaaa',
          from: 1,
          to: 2,
          changes: [{ path: 'fields.name', change: 'changed', before: 'name', after: '$uppercase(name)' }],
        }}
      />,
    );
    expect(html).toContain('fields.name');
    expect(html).toContain('$uppercase(name)');
    expect(
      render(<DiffTable diff={{ mappingId: 'map_aaaaaaaaaa', from: 1, to: 2, changes: [] }} />),
    ).toContain('Versions 1 and 2 are the same.');
  });
});

describe('lineage markup', () => {
  it('has both lookups with labelled inputs', () => {
    const html = render(<LineagePage />);
    expect(labelTexts(html)).toEqual([
      'Source record id',
      'Source type',
      'Target model',
      'External ID',
      'Target id',
    ]);
    expect(buttonTexts(html)).toEqual(['Find what it became', 'Find where it came from']);
  });

  it('shows each write named, with its run, mapping version, target and correction history', () => {
    const write = {
      seq: 5,
      at: '2026-01-01T00:00:00Z',
      runId: 'run_aaaaaaaaaa',
      flowId: 'flow_aaaaaaaaaa',
      sourceSystem: 'fhir',
      sourceType: 'SupplyDelivery',
      sourceId: 'SupplyDelivery/1',
      sourceVersion: '1',
      sourceHash: 'h',
      mappingId: 'map_aaaaaaaaaa',
      mappingVersion: 2,
      targetSystem: 'odoo',
      targetModel: 'stock.move',
      targetKey: 'clinic.move_1',
      targetId: '42',
      payloadHash: 'p',
      outcome: 'created' as const,
      supersedes: null,
      errorCode: null,
    };
    const trail = {
      entries: [
        write,
        {
          ...write,
          seq: 7,
          sourceVersion: '2',
          mappingVersion: 3,
          outcome: 'updated' as const,
          supersedes: 5,
        },
      ],
      flowNames: { flow_aaaaaaaaaa: 'Supply consumption' },
      mappingNames: { map_aaaaaaaaaa: 'Supplies to stock moves' },
    };
    const follow = () => undefined;
    const html = render(<LineageTable label="trail" trail={trail} onSource={follow} onTarget={follow} />);
    for (const text of [
      'SupplyDelivery/1',
      'Supply consumption',
      'Supplies to stock moves v3',
      'clinic.move_1',
      'id 42',
      'corrects #5',
      'superseded by #7',
      'updated',
    ])
      expect(html).toContain(text);
    expect(html).not.toContain('flow_aaaaaaaaaa');
    // Both ways by clicking: each source and each target is a button.
    expect(html).toContain('aria-label="What source record SupplyDelivery/1 became"');
    expect(html).toContain('aria-label="Where stock.move record clinic.move_1 came from"');
    const none = { entries: [], flowNames: {}, mappingNames: {} };
    expect(render(<LineageTable label="none" trail={none} onSource={follow} onTarget={follow} />)).toContain(
      'No lineage found',
    );
  });
});

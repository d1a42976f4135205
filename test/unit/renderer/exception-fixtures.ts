import type { ExceptionDetail, ExceptionGroup, ExceptionSummary } from '../../../shared/domain/exception.js';

/** A valid exception summary for renderer tests; each test overrides what it is about. */
export function exceptionOf(overrides: Partial<ExceptionSummary> = {}): ExceptionSummary {
  return {
    id: 'exc_aaaaaaaaaa',
    flowId: 'flow_aaaaaaaaaa',
    sourceType: 'SupplyDelivery',
    sourceId: 'supply-use-bad-code',
    stage: 'map',
    class: 'reference',
    errorCode: 'mapping.unmapped-code',
    errorField: 'suppliedItem.code',
    signature: 'mapping.unmapped-code|suppliedItem.code|A#',
    errorMessage: 'No value map entry for code GLV-XL',
    targetKey: null,
    state: 'open',
    assignee: null,
    attempts: 1,
    createdAt: '2026-01-01T10:00:00Z',
    updatedAt: '2026-01-01T10:00:00Z',
    lastFailedAt: '2026-01-01T10:00:00Z',
    lastRunId: 'run_aaaaaaaaaa',
    resolvedByRun: null,
    resolvedBy: null,
    resolvedAt: null,
    resolution: null,
    nextAttemptAt: null,
    fixId: null,
    ...overrides,
  };
}

export function detailOf(overrides: Partial<ExceptionDetail> = {}): ExceptionDetail {
  return {
    ...exceptionOf(),
    sourceVersion: '1',
    sourcePayload: { resourceType: 'SupplyDelivery', suppliedItem: { code: 'GLV-XL', quantity: 2 } },
    latestSourceVersion: '1',
    latestSourcePayload: null,
    mappedPayload: null,
    attemptHistory: [
      {
        id: 1,
        runId: 'run_aaaaaaaaaa',
        at: '2026-01-01T10:00:00Z',
        outcome: 'failed',
        stage: 'map',
        errorCode: 'mapping.unmapped-code',
        errorMessage: 'No value map entry for code GLV-XL',
        sourceVersion: '1',
      },
    ],
    notes: [{ id: 1, author: 'fin', at: '2026-01-01T11:00:00Z', text: 'Asked the ward for the code' }],
    ...overrides,
  };
}

export function groupOf(overrides: Partial<ExceptionGroup> = {}): ExceptionGroup {
  return {
    signature: 'mapping.unmapped-code|suppliedItem.code|A#',
    errorCode: 'mapping.unmapped-code',
    errorField: 'suppliedItem.code',
    class: 'reference',
    count: 12,
    flows: 1,
    oldest: '2026-01-01T10:00:00Z',
    newest: '2026-01-01T11:00:00Z',
    sampleMessage: 'No value map entry for code GLV-XL',
    ...overrides,
  };
}

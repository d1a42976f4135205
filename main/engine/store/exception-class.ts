import type { ExceptionClass } from '../../../shared/domain/exception.js';

/**
 * A connector's failure class says how the engine reacts (retry, stop, hold the connection); an
 * exception's class says what fix a person needs. Most permanent failures are bad data, but some
 * codes say that a referenced thing is missing (a code the value map lacks, a record Odoo cannot
 * find) or that the mapping itself names something the target does not have.
 *
 * A connector's `authentication` class on ONE record's write is Odoo refusing that write with an
 * AccessError (a right or a record rule the integration user lacks: load-batch, failure-classifier):
 * the login worked, so for the inbox it is `authorization`. A refused login fails the run before any
 * record is written and never reaches here.
 *
 * Migration 006 repeats this table in SQL for the backfill; its test checks both agree.
 */
export const REFERENCE_CODES: ReadonlySet<string> = new Set([
  'mapping.unmapped-code',
  'odoo.unknown-reference',
  'odoo.MissingError',
]);

export const CONFIGURATION_CODES: ReadonlySet<string> = new Set([
  'mapping.unknown-value-map',
  'odoo.unknown-field',
  'odoo.unknown-model',
  'odoo.unknown-method',
  'odoo.private-method',
]);

export function exceptionClassOf(failureClass: string, code: string): ExceptionClass {
  switch (failureClass) {
    case 'transient':
      return 'transient';
    case 'authentication':
      return 'authorization';
    case 'configuration':
      return 'configuration';
    case 'conflict':
      return 'conflict';
    default:
      if (REFERENCE_CODES.has(code)) return 'reference';
      if (CONFIGURATION_CODES.has(code)) return 'configuration';
      return 'data';
  }
}

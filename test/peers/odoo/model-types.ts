import type { Database } from './database.js';

/** Declarative model definitions: just enough of Odoo's ORM metadata for the demo clinic. */

export type FieldType =
  | 'char'
  | 'text'
  | 'integer'
  | 'float'
  | 'monetary'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'selection'
  | 'many2one'
  | 'one2many';

export type StoredRecord = Record<string, unknown> & { id: number };

export interface FieldDef {
  readonly type: FieldType;
  readonly string: string;
  readonly required?: boolean;
  readonly relation?: string;
  /** one2many: the many2one on the line model that points back. */
  readonly inverse?: string;
  readonly selection?: readonly (readonly [string, string])[];
  readonly default?: unknown;
  /** Computed (not stored) fields are read-only and evaluated at read time. */
  readonly compute?: (record: StoredRecord, db: Database) => unknown;
}

/** A public model method beyond the generic ORM ones (server actions like `action_post`). */
export type RecordMethod = (db: Database, ids: readonly number[], uid: number) => unknown;

export interface ModelDef {
  readonly name: string;
  readonly description: string;
  readonly fields: Readonly<Record<string, FieldDef>>;
  /** The group named in AccessError messages for writes to this model. */
  readonly managerGroup: string;
  /** product.product reports missing required fields on its template, as Odoo does. */
  readonly requiredErrorModel?: { readonly name: string; readonly description: string };
  readonly order?: string;
  /** Stored fields looked up by exact value on every request (see field-index.ts). */
  readonly indexed?: readonly string[];
  readonly displayName?: (record: StoredRecord, db: Database) => string;
  /** Raise an OdooServerError when the record breaks a rule; runs after create and write. */
  readonly check?: (record: StoredRecord, db: Database) => void;
  readonly beforeUnlink?: (ids: readonly number[], db: Database) => void;
  readonly beforeWrite?: (
    record: StoredRecord,
    values: Readonly<Record<string, unknown>>,
    db: Database,
  ) => void;
  readonly methods?: Readonly<Record<string, RecordMethod>>;
}

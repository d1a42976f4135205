import type { Database } from './database.js';

/** Declarative model definitions: just enough of Odoo's ORM metadata for the demo clinic. */

export type FieldType =
  | 'char'
  | 'text'
  | 'html'
  | 'integer'
  | 'float'
  | 'monetary'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'selection'
  | 'many2one'
  | 'one2many'
  /** An id of a record whose model another field names (ir.model.data's res_id). */
  | 'many2one_reference';

export type StoredRecord = Record<string, unknown> & { id: number };

export interface FieldDef {
  readonly type: FieldType;
  readonly string: string;
  /** Required as fields_get says; enforced on create/write unless a default or `fill` supplies it. */
  readonly required?: boolean;
  /** Read-only in fields_get (stored fields Odoo computes or sets itself); computed ones always are. */
  readonly readonly?: boolean;
  readonly relation?: string;
  /** one2many: the many2one on the line model that points back. */
  readonly inverse?: string;
  readonly selection?: readonly (readonly [string, string])[];
  readonly default?: unknown;
  /** A value Odoo computes on create when none is given (e.g. a purchase line's name from its product). */
  readonly fill?: (record: StoredRecord, db: Database) => unknown;
  /** Computed (not stored) fields are read-only and evaluated at read time. */
  readonly compute?: (record: StoredRecord, db: Database) => unknown;
}

/** A public model method beyond the generic ORM ones (server actions like `action_post`). */
export type RecordMethod = (db: Database, ids: readonly number[], uid: number) => unknown;

export interface ModelDef {
  readonly name: string;
  readonly description: string;
  readonly fields: Readonly<Record<string, FieldDef>>;
  /** product.product reports missing required fields on its template, as Odoo does. */
  readonly requiredErrorModel?: { readonly name: string; readonly description: string };
  readonly order?: string;
  /** Stored fields looked up by exact value on every request (see field-index.ts). */
  readonly indexed?: readonly string[];
  readonly displayName?: (record: StoredRecord, db: Database) => string;
  /** Raise an OdooServerError when the record breaks a rule; runs after create and write. */
  readonly check?: (record: StoredRecord, db: Database) => void;
  readonly beforeUnlink?: (ids: readonly number[], db: Database) => void;
  /** Raise when the record may not take these values (before any is applied). */
  readonly beforeWrite?: (
    record: StoredRecord,
    values: Readonly<Record<string, unknown>>,
    db: Database,
  ) => void;
  /** Its unlink() override reads the records first: a deleted id is a MissingError before any right. */
  readonly unlinkReadsFirst?: boolean;
  readonly methods?: Readonly<Record<string, RecordMethod>>;
}

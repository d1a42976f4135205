import type { Migration } from './migration.js';

/**
 * Lineage by target id (issue 13, item 3).
 *
 * `lineage.byTarget` with a target id first asks which target keys an Odoo id was written under:
 * `SELECT DISTINCT target_key FROM lineage WHERE target_model = ? AND target_id = ?`. SQLite never
 * chose the partial index `lineage_by_target_id (target_model, target_id) WHERE target_id IS NOT
 * NULL` for it: without statistics it preferred `lineage_by_target_key`, which hands out target keys
 * in order for the DISTINCT but matches only the model — a walk over every lineage row of the model
 * (about 1 s per lookup at 1 million rows, 10 s at 10 million; `npm run bench -- --only
 * lineage-query`). A full index on (target_model, target_id, target_key) has both equalities and
 * covers the query, so the planner takes it and the lookup reads only the matching entries. It
 * supersedes the partial index (same leading columns), which is dropped.
 */
export const migration017LineageByTargetId: Migration = {
  version: 17,
  name: 'lineage-by-target-id',
  sql: `
CREATE INDEX lineage_by_target_id_key ON lineage (target_model, target_id, target_key);
DROP INDEX lineage_by_target_id;
`,
};

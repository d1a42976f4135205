import type { Migration } from './migration.js';

/**
 * Fast text search in the exceptions inbox (issue 10: filter + group over 100,000 exceptions under
 * 50 ms). The inbox's text filter means "part of the source record's id or of the error message,
 * case-insensitive"; as `LIKE '%text%'` it read every row (94 ms over 100,000).
 *
 * `exceptions_text` is an FTS5 index over those two columns with the trigram tokenizer, which
 * matches any substring of 3 or more characters, case-insensitively: the same meaning as the LIKE.
 * It is external-content (the text lives once, in `exceptions`; the index refers to its rowid) and
 * kept in step by triggers, so every path that writes an exception (the engine's recorder, the
 * console signing backfilled rows, retention) keeps it right without knowing it exists. The update
 * trigger fires only when the id or the message changes: settling an exception (resolve, ignore,
 * assign) never touches the index. ExceptionsRepo still checks the LIKE on the rows the index
 * names, so the result is exactly what the LIKE alone gave; 1–2 character queries use the LIKE only.
 *
 * The rowid of `exceptions` is implicit (its key is TEXT). SQLite keeps it through VACUUM and
 * VACUUM INTO when the table has an index (it has several), which the backups rely on; a store whose
 * index were ever out of step answers fewer rows, never wrong ones, and `INSERT INTO
 * exceptions_text(exceptions_text) VALUES ('rebuild')` rebuilds it.
 */
export const migration009ExceptionsSearch: Migration = {
  version: 9,
  name: 'exceptions-search',
  sql: `
CREATE VIRTUAL TABLE exceptions_text USING fts5(
  source_id, error_message, content = 'exceptions', content_rowid = 'rowid', tokenize = 'trigram'
);
INSERT INTO exceptions_text (exceptions_text) VALUES ('rebuild');

CREATE TRIGGER exceptions_text_insert AFTER INSERT ON exceptions
BEGIN
  INSERT INTO exceptions_text (rowid, source_id, error_message)
  VALUES (NEW.rowid, NEW.source_id, NEW.error_message);
END;

CREATE TRIGGER exceptions_text_delete AFTER DELETE ON exceptions
BEGIN
  INSERT INTO exceptions_text (exceptions_text, rowid, source_id, error_message)
  VALUES ('delete', OLD.rowid, OLD.source_id, OLD.error_message);
END;

CREATE TRIGGER exceptions_text_update AFTER UPDATE OF source_id, error_message ON exceptions
WHEN OLD.source_id IS NOT NEW.source_id OR OLD.error_message IS NOT NEW.error_message
BEGIN
  INSERT INTO exceptions_text (exceptions_text, rowid, source_id, error_message)
  VALUES ('delete', OLD.rowid, OLD.source_id, OLD.error_message);
  INSERT INTO exceptions_text (rowid, source_id, error_message)
  VALUES (NEW.rowid, NEW.source_id, NEW.error_message);
END;
`,
};

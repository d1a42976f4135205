export { CsvDropSource, type CsvDropSourceOptions, type CsvFileResult } from './csv-drop-source.js';
export { watchCsvDrop, type CsvDropWatcher } from './csv-drop-watcher.js';
export { testCsvDrop } from './csv-test-connection.js';
export { ProcessedFilesStore } from './processed-files-store.js';
export { csvLayoutSchema, parseCsvLayout, type CsvLayout } from './csv-layout.js';

import { useState } from 'react';
import { Button } from 'react-aria-components';
import type { MappedPreview, MappingVersion } from '../../../shared/domain/mapping.js';
import { useOps } from '../../app/client-context.js';
import { Alert } from '../../components/Alert.js';
import { FormDialog } from '../../components/FormDialog.js';
import { TextAreaInput } from '../../components/TextAreaInput.js';
import { readSamples } from './preview-samples.js';

/** What the mapping made of each sample: key, payload, and every rule's verdict. */
export function PreviewResults({ results }: { readonly results: readonly MappedPreview[] }) {
  return (
    <ol className="preview-results" aria-label="Preview results">
      {results.map((result) => (
        <li key={result.index} className="preview-result">
          <p>
            <span className={`badge ${result.ok ? 'badge-passed' : 'badge-failed'}`}>
              {result.ok ? 'Valid' : 'Invalid'}
            </span>{' '}
            Sample {result.index + 1}
            {result.key !== null && (
              <>
                {' '}
                → key <code>{result.key}</code>
              </>
            )}
          </p>
          {result.error !== null && <p className="field-error">{result.error}</p>}
          {result.payload !== null && (
            <pre className="code-block">{JSON.stringify(result.payload, null, 2)}</pre>
          )}
          {result.rules.length > 0 && (
            <ul className="rule-results">
              {result.rules.map((rule) => (
                <li key={rule.id}>
                  <span
                    className={`badge ${rule.passed ? 'badge-passed' : rule.severity === 'error' ? 'badge-failed' : 'badge-warning'}`}
                  >
                    {rule.passed ? 'passed' : rule.severity}
                  </span>{' '}
                  <code>{rule.id}</code>
                  {!rule.passed && `: ${rule.message}`}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}

interface PreviewDialogProps {
  readonly version: MappingVersion;
  readonly onClose: () => void;
}

/** Runs one version over pasted sample records on the server; nothing is written anywhere. */
export function PreviewDialog({ version, onClose }: PreviewDialogProps) {
  const ops = useOps();
  const [text, setText] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [results, setResults] = useState<readonly MappedPreview[] | null>(null);
  const [busy, setBusy] = useState(false);

  async function run() {
    setError(null);
    const read = readSamples(text);
    setFieldError(read.ok ? undefined : read.message);
    if (!read.ok) return;
    setBusy(true);
    const result = await ops['mappings.preview']({ spec: version.spec, samples: read.samples });
    setBusy(false);
    if (result.ok) setResults(result.value);
    else {
      setResults(null);
      setError(result.error.message);
    }
  }

  return (
    <FormDialog title={`Preview version ${version.version}`} isOpen onClose={onClose} size="wide">
      <p className="dialog-text">
        Maps the sample records and checks the rules. Nothing is written to any target.
      </p>
      <TextAreaInput
        label="Sample source records (JSON)"
        name="samples"
        value={text}
        onChange={setText}
        rows={8}
        error={fieldError}
        description="A JSON array of records, or one record"
      />
      {error !== null && <Alert tone="error">{error}</Alert>}
      {results !== null && <PreviewResults results={results} />}
      <div className="form-actions">
        <Button className="button button-primary" isPending={busy} onPress={() => void run()}>
          Run preview
        </Button>
        <Button className="button" onPress={onClose}>
          Close
        </Button>
      </div>
    </FormDialog>
  );
}

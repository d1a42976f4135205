import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import type { Connection } from '../../../shared/domain/connection.js';
import type { ConnectionCheck, ConnectionTestResult } from '../../../shared/domain/connection-test.js';
import { useOps } from '../../app/client-context.js';
import { Alert } from '../../components/Alert.js';
import { FormDialog } from '../../components/FormDialog.js';

interface TestConnectionDialogProps {
  readonly connection: Connection;
  readonly onClose: () => void;
}

const STATUS_TEXT: Readonly<Record<ConnectionCheck['status'], string>> = {
  passed: 'Passed',
  failed: 'Failed',
  warning: 'Warning',
  skipped: 'Skipped',
};

/** Runs "Test connection" at once and lists every check with what to do about a failure. */
export function TestConnectionDialog({ connection, onClose }: TestConnectionDialogProps) {
  const ops = useOps();
  const [attempt, setAttempt] = useState(0);
  // The answer to the newest attempt; an older attempt's answer means a test is still running.
  const [outcome, setOutcome] = useState<{
    readonly attempt: number;
    readonly result: ConnectionTestResult | null;
    readonly error: string | null;
  } | null>(null);
  const running = outcome?.attempt !== attempt;
  const result = running ? null : outcome.result;
  const error = running ? null : outcome.error;

  useEffect(() => {
    let current = true;
    void ops['connections.test']({ id: connection.id }).then((answer) => {
      if (!current) return;
      setOutcome(
        answer.ok
          ? { attempt, result: answer.value, error: null }
          : { attempt, result: null, error: answer.error.message },
      );
    });
    return () => {
      current = false;
    };
  }, [ops, connection.id, attempt]);

  return (
    <FormDialog title={`Test ${connection.name}`} isOpen onClose={onClose} size="wide">
      {running && <p className="dialog-text">Testing the connection…</p>}
      {error !== null && <Alert tone="error">{error}</Alert>}
      {!running && result !== null && (
        <>
          <Alert tone={result.ok ? 'success' : 'error'}>{result.summary}</Alert>
          <ul className="check-list" aria-label="Checks">
            {result.checks.map((check) => (
              <li key={check.id} className={`check check-${check.status}`}>
                <span className={`badge badge-${check.status}`}>{STATUS_TEXT[check.status]}</span>{' '}
                <strong>{check.label}</strong>: {check.message}
              </li>
            ))}
          </ul>
          {Object.keys(result.facts).length > 0 && (
            <p className="dialog-text">
              {Object.entries(result.facts)
                .map(([key, value]) => `${key}: ${value}`)
                .join(' · ')}{' '}
              · {result.durationMs} ms
            </p>
          )}
        </>
      )}
      <div className="form-actions">
        <Button className="button" isDisabled={running} onPress={() => setAttempt((n) => n + 1)}>
          Test again
        </Button>
        <Button className="button" onPress={onClose}>
          Close
        </Button>
      </div>
    </FormDialog>
  );
}

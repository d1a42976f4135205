import { useId, type ReactNode } from 'react';

/** What a native control needs to be tied to its label, description and error message. */
export interface NativeControlProps {
  readonly id: string;
  readonly 'aria-invalid': boolean;
  readonly 'aria-describedby': string | undefined;
}

interface NativeFieldProps {
  readonly label: string;
  readonly description?: string | undefined;
  readonly error?: string | undefined;
  readonly children: (control: NativeControlProps) => ReactNode;
}

/**
 * The label, description and error around a native input, select or textarea, wired for screen
 * readers (label `for`, aria-describedby, aria-invalid). Used where a react-aria field does not fit:
 * uncontrolled secrets, native selects, code text areas.
 */
export function NativeField({ label, description, error, children }: NativeFieldProps) {
  const id = useId();
  const descriptionId = `${id}-description`;
  const errorId = `${id}-error`;
  const describedBy = [description === undefined ? null : descriptionId, error === undefined ? null : errorId]
    .filter((part) => part !== null)
    .join(' ');
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children({
        id,
        'aria-invalid': error !== undefined,
        'aria-describedby': describedBy === '' ? undefined : describedBy,
      })}
      {description !== undefined && (
        <p id={descriptionId} className="field-description">
          {description}
        </p>
      )}
      {error !== undefined && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

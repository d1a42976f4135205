import type { ReactNode } from 'react';

interface AlertProps {
  readonly tone: 'error' | 'warning' | 'success' | 'info';
  readonly children: ReactNode;
}

/**
 * A message next to where something happened. Errors and warnings are announced (role=alert);
 * confirmations politely (role=status).
 */
export function Alert({ tone, children }: AlertProps) {
  const role = tone === 'error' || tone === 'warning' ? 'alert' : 'status';
  return (
    <div className={`alert alert-${tone}`} role={role}>
      {children}
    </div>
  );
}

/** Messages to the user: errors are announced at once (role=alert), confirmations politely (role=status). */
import type { ReactNode } from 'react';

/** Props of Alert. */
export interface AlertProps {
  tone: 'error' | 'success' | 'info';
  children: ReactNode;
  id?: string;
}

/** A coloured message box with an appropriate live-region role. */
export function Alert({ tone, children, id }: AlertProps) {
  return (
    <div id={id} className={`alert alert--${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/**
 * A one-time message carried across an in-app navigation ("AE-003 has been recorded" shown on the
 * page the user lands on). Kept in memory only: a reload or a new tab does not repeat it.
 */
import { useEffect, useState } from 'react';

let pending: string | null = null;

/** Leaves a message for the next page that asks for one. */
export function setFlash(message: string): void {
  pending = message;
}

/**
 * The pending message as state of the page that shows it. It is read on mount and cleared after,
 * so React's double render in development still sees it.
 */
export function useFlash(): [string | null, (message: string | null) => void] {
  const [message, setMessage] = useState<string | null>(() => pending);
  useEffect(() => {
    pending = null;
  }, []);
  return [message, setMessage];
}

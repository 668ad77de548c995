/**
 * A modal dialog that holds one form: an optional introduction, the refusal of the last attempt
 * (already put into words by the caller's area strings) and the form, whose fields report their
 * own errors, so the browser's own validation stays off.
 */
import type { FormEvent, ReactNode } from 'react';
import { Alert } from './alert.js';
import { Dialog } from './dialog.js';

/** Props of DialogForm. */
export interface DialogFormProps {
  title: string;
  onClose: () => void;
  /** Shown above the error and the form. */
  intro?: ReactNode;
  /** Why the last attempt was refused, or null. */
  errorMessage: string | null;
  onSubmit: (e: FormEvent<HTMLFormElement>) => void | Promise<void>;
  children: ReactNode;
}

/** A dialog with one form in it. */
export function DialogForm({ title, onClose, intro, errorMessage, onSubmit, children }: DialogFormProps) {
  return (
    <Dialog title={title} onClose={onClose}>
      {intro}
      {errorMessage ? <Alert tone="error">{errorMessage}</Alert> : null}
      <form className="form" onSubmit={(e) => void onSubmit(e)} noValidate>
        {children}
      </form>
    </Dialog>
  );
}

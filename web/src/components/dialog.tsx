/**
 * A modal dialog on the native `<dialog>` element: the browser traps focus, closes on Escape and
 * makes the rest of the page inert; we label it by its heading and return focus to the opener.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';

/** Props of Dialog. */
export interface DialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
}

/** Renders its children in a modal dialog while mounted. */
export function Dialog({ title, onClose, children }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return undefined;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    // A close event queued by an earlier cleanup (React StrictMode mounts twice in development)
    // can arrive after the dialog was reopened; only a dialog that is really closed counts.
    const handleClose = (): void => {
      if (!dialog.open) onCloseRef.current();
    };
    dialog.addEventListener('close', handleClose);
    return () => {
      dialog.removeEventListener('close', handleClose);
      if (dialog.open) dialog.close();
      // The opener may have been re-rendered away; only refocus it when it is still on the page.
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId}>
      <div className="dialog__body">
        <h2 id={titleId} className="dialog__title">
          {title}
        </h2>
        {children}
      </div>
    </dialog>
  );
}

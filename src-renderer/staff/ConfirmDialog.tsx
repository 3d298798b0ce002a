import * as Dialog from '@radix-ui/react-dialog';
import { useEffect, useLayoutEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * "Are you sure?" before a staff action that cannot be taken back (purge, conflict
 * resolution). Radix Dialog as in KioskDialog: focus trapped, Escape and やめる cancel, no
 * Overlay (its scroll lock injects a <style> tag the CSP refuses). Radix gives focus back only
 * to a Dialog.Trigger, and the openers here are plain buttons: without the opener kept here,
 * focus fell to <body> on close (WCAG 2.4.3).
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const opener = useRef<HTMLElement | null>(null);
  // A layout effect: it runs before Radix's focus scope (an effect inside) moves focus into the dialog.
  useLayoutEffect(() => {
    if (open) opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  }, [open]);
  useEffect(() => {
    if (!open) return;
    document.documentElement.classList.add('has-dialog');
    return () => document.documentElement.classList.remove('has-dialog');
  }, [open]);
  return (
    <Dialog.Root open={open} onOpenChange={(next) => !next && onCancel()}>
      <Dialog.Portal>
        <div className="dialog-backdrop" aria-hidden="true" />
        <Dialog.Content
          className="dialog"
          aria-modal="true"
          onCloseAutoFocus={(event) => {
            // An opener the action removed (a row that is gone) cannot take focus; Radix's own choice then stands.
            if (!opener.current?.isConnected) return;
            event.preventDefault();
            opener.current.focus();
          }}
        >
          <Dialog.Title className="dialog__title">{title}</Dialog.Title>
          <Dialog.Description asChild>
            <div className="dialog__body">{children}</div>
          </Dialog.Description>
          <div className="dialog__actions staff-buttons">
            <Dialog.Close asChild>
              <button type="button" className="button button--secondary">
                {t('staff.confirm.cancel')}
              </button>
            </Dialog.Close>
            <button type="button" className="button button--primary" onClick={onConfirm}>
              {confirmLabel}
            </button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

import * as Dialog from '@radix-ui/react-dialog';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * "Are you sure?" before a staff action that cannot be taken back (purge, conflict
 * resolution). Radix Dialog as in KioskDialog: focus trapped, Escape and やめる cancel, no
 * Overlay (its scroll lock injects a <style> tag the CSP refuses).
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
  useEffect(() => {
    if (!open) return;
    document.documentElement.classList.add('has-dialog');
    return () => document.documentElement.classList.remove('has-dialog');
  }, [open]);
  return (
    <Dialog.Root open={open} onOpenChange={(next) => !next && onCancel()}>
      <Dialog.Portal>
        <div className="dialog-backdrop" aria-hidden="true" />
        <Dialog.Content className="dialog" aria-modal="true">
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

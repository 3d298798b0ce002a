import * as Dialog from '@radix-ui/react-dialog';
import { useEffect, useLayoutEffect, useRef, type ReactNode } from 'react';

interface KioskDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  actionLabel: string;
  /** The one way out: the button, Escape, or the dialog closing for any other reason. */
  onAction: () => void;
  className?: string;
  /** Something to do besides the way out (「受付票を印刷」), beside the button; the button keeps the first focus. */
  secondary?: ReactNode;
}

/**
 * A modal with one button, on Radix Dialog: focus trapped, the rest of the page hidden
 * from assistive tech, Escape handled. Radix's <Dialog.Overlay> is left out on purpose: it
 * brings react-remove-scroll, which injects a <style> tag that our CSP (style-src 'self')
 * refuses; the backdrop here is a plain element styled from app.css. aria-modal is set
 * explicitly because Radix only hides the siblings.
 */
// Scroll lock without a <style> tag: a class on <html> (CSSOM class changes are allowed by the
// CSP). Counted, because the idle warning can open over 受付完了.
let openDialogs = 0;
function useScrollLock(active: boolean) {
  useEffect(() => {
    if (!active) return;
    openDialogs += 1;
    document.documentElement.classList.add('has-dialog');
    return () => {
      openDialogs -= 1;
      if (openDialogs === 0) document.documentElement.classList.remove('has-dialog');
    };
  }, [active]);
}

/**
 * Two presses of Enter within a double-click's span are one gesture (Chromium guards its own
 * prompts the same way). A hurried customer presses Enter twice on 「サポートメール依頼」; the
 * answer comes back between the presses and the second lands on 「OK」, which has the focus.
 */
const GESTURE_MS = 500;
// When the page's last press of Enter began: seen in the capture phase, before any dialog opens.
let lastEnterDownAt = Number.NEGATIVE_INFINITY;
let watchingEnter = false;
function watchEnter() {
  if (watchingEnter) return;
  watchingEnter = true;
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.repeat) lastEnterDownAt = performance.now();
  }, true);
}

/**
 * Until when Enter in a dialog opened now belongs to a press begun before it: only a press of
 * Enter begun just before the opening (released or still down) starts such a span, so a tap, a
 * click or a press after a pause is answered at once. A key held on is its auto-repeat, refused
 * below whenever it comes.
 */
function enterGestureEnd(): number {
  return performance.now() - lastEnterDownAt < GESTURE_MS ? lastEnterDownAt + GESTURE_MS : Number.NEGATIVE_INFINITY;
}

export function KioskDialog({ open, title, children, actionLabel, onAction, className, secondary }: KioskDialogProps) {
  useScrollLock(open);
  const action = useRef<HTMLButtonElement>(null);
  const gestureEnd = useRef(Number.NEGATIVE_INFINITY);
  useEffect(watchEnter, []);
  // Taken as the dialog opens, before the next key event can reach it.
  useLayoutEffect(() => {
    if (open) gestureEnd.current = enterGestureEnd();
  }, [open]);
  return (
    <Dialog.Root
      open={open}
      onOpenChange={(next) => {
        if (!next) onAction();
      }}
    >
      <Dialog.Portal>
        <div className="dialog-backdrop" aria-hidden="true" />
        <Dialog.Content
          className={`dialog${className ? ` ${className}` : ''}`}
          aria-modal="true"
          // A stray touch beside the box must not count as 「OK」 at a kiosk.
          onPointerDownOutside={(event) => event.preventDefault()}
          // Nor does a held key: Enter held on 「サポートメール依頼」 repeats onto the button that
          // just took the focus, and would close 受付完了 before the customer read it; nor the
          // second of two quick presses (GESTURE_MS).
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.repeat || performance.now() < gestureEnd.current)) event.preventDefault();
          }}
          onOpenAutoFocus={(event) => {
            event.preventDefault();
            action.current?.focus();
          }}
        >
          <Dialog.Title className="dialog__title">{title}</Dialog.Title>
          <Dialog.Description asChild>
            {/* A tab stop: at 200 % zoom or 特大 this text scrolls on its own (app.css), and a
                keyboard must be able to scroll it too (WCAG 2.1.1). */}
            <div className="dialog__body" tabIndex={0}>
              {children}
            </div>
          </Dialog.Description>
          <div className="dialog__actions">
            {secondary}
            <Dialog.Close asChild>
              <button ref={action} type="button" className="button button--primary">
                {actionLabel}
              </button>
            </Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

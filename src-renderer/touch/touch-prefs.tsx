import { createContext, useContext, useEffect, type ReactNode } from 'react';
import type { KioskView } from '../../src-main/contract';

export type TextSize = KioskView['textSize'];
export type Contrast = KioskView['contrast'];

/** The customer's choices in the kiosk header (issue 15); the idle wipe puts them back to these. */
export interface TouchPrefs {
  textSize: TextSize;
  contrast: Contrast;
  /** The 「キーボード」 switch outside kiosk mode (in kiosk mode the keyboard comes with the field). */
  keyboard: boolean;
  voice: boolean;
}

export const defaultTouchPrefs: TouchPrefs = { textSize: 'standard', contrast: 'standard', keyboard: false, voice: false };

/** Untouched switches: nothing for the idle wipe to put back. */
export function isDefaultDisplay(prefs: TouchPrefs): boolean {
  return (Object.keys(defaultTouchPrefs) as (keyof TouchPrefs)[]).every((key) => prefs[key] === defaultTouchPrefs[key]);
}

export const textSizes: readonly TextSize[] = ['standard', 'large', 'xlarge'];
export const contrasts: readonly Contrast[] = ['standard', 'inverted'];

interface TouchPrefsValue {
  prefs: TouchPrefs;
  update: (patch: Partial<TouchPrefs>) => void;
}

const TouchPrefsContext = createContext<TouchPrefsValue>({ prefs: defaultTouchPrefs, update: () => undefined });

export function TouchPrefsProvider({ value, children }: { value: TouchPrefsValue; children: ReactNode }) {
  return <TouchPrefsContext value={value}>{children}</TouchPrefsContext>;
}

export function useTouchPrefs(): TouchPrefsValue {
  return useContext(TouchPrefsContext);
}

/**
 * Text size and contrast act on <html>: every size in app.css is in rem, so one root font
 * size scales the whole page, and the inverted palette swaps the colour variables. Taken off
 * again when the customer screens unmount (the staff tools keep their own look).
 */
export function useDocumentDisplay({ textSize, contrast }: TouchPrefs): void {
  useEffect(() => {
    const root = document.documentElement;
    root.dataset.textSize = textSize;
    root.dataset.contrast = contrast;
    return () => {
      delete root.dataset.textSize;
      delete root.dataset.contrast;
    };
  }, [textSize, contrast]);
}

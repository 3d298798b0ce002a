import type { TFunction } from 'i18next';
import { useCallback, useState } from 'react';
import type { CallError } from '../../src-main/contract';
import { errorMessage, fieldIssueMessage } from '../i18n/error-text';

/** A field on the current screen: the server's field name → the input's id and label. */
export interface FieldRef {
  id: string;
  label: string;
}

export interface SummaryItem {
  /** The input to jump to; absent when the issue names no field on this screen. */
  targetId?: string;
  text: string;
}

export interface DescribedError {
  title: string;
  /** Lines that belong to the whole step (a locked reset, a rate limit…). */
  general: string[];
  items: SummaryItem[];
  /** Messages to show beside each field, by the server's field name. */
  byField: Record<string, string>;
}

/**
 * The one place a CallError becomes what the screen shows: beside the field and in the
 * summary at the top (Digital Agency form pattern). Worded at render time, so switching
 * the language re-words an error already on screen.
 */
export function describeError(
  t: TFunction,
  error: CallError,
  fields: Record<string, FieldRef>,
  variant?: 'grant',
): DescribedError {
  // In the order the fields stand on screen, whatever order the server found them in.
  const order = Object.keys(fields);
  const rank = (field: string) => (order.includes(field) ? order.indexOf(field) : order.length);
  const issues = [...(error.fields ?? [])].sort((a, b) => rank(a.field) - rank(b.field));
  const byField: Record<string, string> = {};
  const items: SummaryItem[] = [];
  for (const issue of issues) {
    const field = Object.hasOwn(fields, issue.field) ? fields[issue.field] : undefined;
    const text = fieldIssueMessage(t, issue, field?.label ?? '');
    // Several issues on one field (a password failing two rules) read as one paragraph.
    if (field) byField[issue.field] = joinSentences([byField[issue.field] ?? '', text], t);
    items.push({ targetId: field?.id, text });
  }
  // INVALID_INPUT with field issues says it all in the items; other codes keep their own words.
  const general = error.code === 'INVALID_INPUT' && issues.length > 0 ? [] : errorMessage(t, error, variant);
  const title = general.length === 0 ? t('summary.fieldsTitle') : t('summary.generalTitle');
  return { title, general, items, byField };
}

/** Japanese sentences end in 。 and run on without a space; English ones need one. */
export function joinSentences(lines: readonly string[], t: TFunction): string {
  const separator = t('app.sentenceSeparator');
  return lines.filter((line) => line !== '').join(separator);
}

/** Codes about what was typed: they go away once the customer changes it. */
const aboutTheInput = new Set(['INVALID_INPUT', 'PASSWORD_POLICY', 'PASSWORD_MISMATCH', 'CODE_INVALID', 'LOGIN_FAILED', 'EMAIL_ON_SEVERAL_IDS']);

/**
 * Error state for one form. `attempt` changes on every failure, so the summary takes focus
 * again even when the same error comes back twice. `edited(field)` drops what no longer
 * applies: a checklist all green beside 「文字数が足りません」 would contradict itself.
 * Errors about the situation (a lock, a rate limit) stay until the next try.
 */
export function useCallErrorState() {
  const [state, setState] = useState<{ error: CallError; attempt: number } | null>(null);
  const fail = useCallback((error: CallError) => {
    setState((prev) => ({ error, attempt: (prev?.attempt ?? 0) + 1 }));
  }, []);
  const clear = useCallback(() => setState(null), []);
  const edited = useCallback((field: string) => {
    setState((prev) => {
      if (!prev || !aboutTheInput.has(prev.error.code)) return prev;
      const issues = prev.error.fields ?? [];
      const left = issues.filter((issue) => issue.field !== field);
      if (left.length === issues.length && issues.length > 0) return prev;
      if (left.length === 0) return null;
      return { ...prev, error: { ...prev.error, fields: left } };
    });
  }, []);
  return { error: state?.error ?? null, attempt: state?.attempt ?? 0, fail, clear, edited };
}

/** For a <form onChange>: the changed input's name is the server's field name. */
export function editedField(event: { target: EventTarget }): string {
  return event.target instanceof HTMLInputElement ? event.target.name : '';
}

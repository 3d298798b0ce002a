import type { TFunction } from 'i18next';
import { errorCodes, type CallError, type ErrorCode, type FieldIssue } from '../../src-main/contract';
import { ja } from './ja';
import type { MessageTree } from './message-shape';

/**
 * Turns the server's codes into words. Keys are built from codes at run time, so these go
 * through an untyped `t` and check existence first: an unknown code or field issue shows the
 * generic 「問題が発生しました。係員にお声がけください。」, never the raw key.
 */
type Params = Record<string, string | number>;
type LooseT = (key: string, options?: Params) => string;

function loose(t: TFunction): LooseT {
  return t as unknown as LooseT;
}

/** Looked up in ja.ts, the key source: en.ts has the same keys by type. A subtree is not a message. */
function has(key: string): boolean {
  let node: string | MessageTree | undefined = ja;
  for (const part of key.split('.')) {
    if (typeof node !== 'object') return false;
    node = Object.hasOwn(node, part) ? node[part] : undefined;
  }
  return typeof node === 'string';
}

function isKnownCode(code: string): code is ErrorCode {
  return (errorCodes as readonly string[]).includes(code);
}

/** The main message for a failed call, plus a detail line when the server sent numbers. */
export function errorMessage(t: TFunction, error: CallError, variant?: 'grant' | 'staff'): string[] {
  const lt = loose(t);
  if (!isKnownCode(error.code)) return [lt(variant === 'staff' ? 'staffUx.errors.INTERNAL' : 'errors.generic')];
  const params = error.params ?? {};
  // A refusal that trying again will not fix (a conflict, a damaged file) says why, when the
  // screens have words for its reason: errors.conflict.*, errors.unavailable.*.
  const reasonKey = typeof params.reason === 'string' ? `errors.${error.code.toLowerCase()}.${params.reason}` : undefined;
  // A clerk reads what a clerk does (staffUx.errors.*) where the common words speak to a
  // customer: 「係員にお声がけください」 told the clerk at a locked account to ask a clerk.
  const staffKey = `staffUx.errors.${error.code}`;
  const codeKey = variant === 'staff' && has(staffKey) ? staffKey : `errors.${error.code}`;
  const lines = [reasonKey && has(reasonKey) ? lt(reasonKey, params) : lt(codeKey)];
  if (variant === 'grant' && error.code === 'CODE_EXPIRED') return [lt('errors.detail.CODE_EXPIRED_grant')];
  if (error.code === 'COOLDOWN' && typeof params.seconds === 'number') {
    lines.push(lt('errors.detail.COOLDOWN', { seconds: params.seconds }));
  }
  if (error.code === 'RATE_LIMITED' && typeof params.seconds === 'number') {
    lines.push(lt('errors.detail.RATE_LIMITED', { minutes: Math.max(1, Math.ceil(params.seconds / 60)) }));
  }
  if (error.code === 'CODE_INVALID' && typeof params.remaining === 'number') {
    lines.push(lt('errors.detail.CODE_INVALID', { remaining: params.remaining }));
  }
  // Typed with a JSA-ID or address, a refusal never says more (that would tell whether the account exists).
  if (error.code === 'CODE_INVALID' && params.via === 'identifier') lines.push(lt('errors.detail.CODE_INVALID_typed'));
  return lines;
}

/** One field issue in words; `fieldLabel` fills {{field}} so 'required' reads naturally. */
export function fieldIssueMessage(t: TFunction, issue: FieldIssue, fieldLabel: string): string {
  const key = `errors.field.${issue.code}`;
  if (!has(key)) return loose(t)('errors.field.invalid', { field: fieldLabel });
  return loose(t)(key, { ...(issue.params ?? {}), field: fieldLabel });
}

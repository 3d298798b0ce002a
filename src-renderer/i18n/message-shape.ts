import type { ErrorCode, PasswordRule } from '../../src-main/contract';

/** A message tree: nested keys, string leaves. */
export interface MessageTree {
  readonly [key: string]: string | MessageTree;
}

/**
 * What ja.ts must satisfy: the tree, plus one message for every error code the contract
 * knows and one line for every password rule, so a new code or rule fails the type check
 * here instead of showing a raw key to a customer.
 */
export type MessageShape = MessageTree & {
  readonly errors: MessageTree & Readonly<Record<ErrorCode, string>> & { readonly field: MessageTree };
  readonly policy: MessageTree & Readonly<Record<PasswordRule, string>>;
};

/** ja.ts's keys with every leaf widened to string: en.ts is typed by this, so it can neither miss nor add a key. */
export type Messages<T> = { readonly [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };

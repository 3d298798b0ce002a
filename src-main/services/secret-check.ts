/**
 * The one rule for every call that checks a secret (DESIGN §6, issue 13): customer and staff
 * login, both password changes, reset codes (kiosk entry and link) and e-mail change codes.
 *
 * - Attempts on one subject are evaluated one at a time. The subject is what was typed,
 *   normalised (a JSA-ID, a staff user name) or what the session is about (the account of a
 *   マイページ window): guesses sent together otherwise all read the count before any of them
 *   is recorded, and all get evaluated.
 * - The cap (count and lock) is read inside the same serialised step as the compare, and the
 *   failure is recorded before the step ends, so the next attempt sees it.
 * - Past the cap nothing is compared: the answer is the lock, so nothing succeeds past it, and
 *   a success cannot reset a count that was already at the cap (it never gets to run).
 * - The success itself (a session, a new password, a spent code) also runs inside the step,
 *   so no later attempt can lock the subject between the compare and the change.
 *
 * The step is in-process: the main process owns the store, and SQLite has one writer. Other
 * kiosks count through the limit events and locks that sync carries (decisions.md "Caps across
 * kiosks"), which this does not change.
 */

/** What the serialised step reads first: how many failures count now, and whether the cap holds. */
export interface SubjectState {
  failures: number;
  locked: boolean;
}

export interface SecretAttempt<S extends SubjectState, M, T> {
  /** The subjects this attempt is about; each is a queue. Several are taken in sorted order. */
  subjects: readonly string[];
  /** Reads the count and the lock (and whatever the rest needs). May throw an answer (expired, not found). */
  state(): Promise<S>;
  /** The growing delay before the compare (login paths), from the failures that count. */
  delayMs?(failures: number): number;
  /** Past the cap: spends the compare's cost without comparing, then throws the lock's answer. */
  refuse(state: S): Promise<never>;
  /** The compare (a hash, or an HMAC). Unknown subjects compare against a dummy of equal cost. */
  compare(state: S): Promise<M | undefined>;
  /** A wrong secret: count it, audit it, lock at the cap; throws the answer. */
  failed(state: S): Promise<never>;
  /** The right secret under the cap: the change this call makes, still inside the step. */
  succeeded(state: S, match: M): Promise<T>;
}

export interface SecretCheckDeps {
  /** Waits; injectable so unit tests of the growing delay do not sleep. */
  sleep(ms: number): Promise<void>;
}

/** A FIFO queue per key: `run` starts when every earlier holder of each of its keys is done. */
export class SubjectQueues {
  private readonly tails = new Map<string, Promise<void>>();

  private async take(key: string): Promise<() => void> {
    const before = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => mine);
    this.tails.set(key, tail);
    await before;
    return () => {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }

  /** Keys in sorted order: two attempts that share some subjects can never wait for each other in a circle. */
  async run<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const releases: Array<() => void> = [];
    try {
      for (const key of [...new Set(keys)].sort()) releases.push(await this.take(key));
      return await work();
    } finally {
      for (const release of releases.reverse()) release();
    }
  }

  /** Subjects with an attempt running or waiting (for tests and diagnostics). */
  get size(): number {
    return this.tails.size;
  }
}

export function createSecretCheck(deps: SecretCheckDeps) {
  const queues = new SubjectQueues();

  function check<S extends SubjectState, M, T>(attempt: SecretAttempt<S, M, T>): Promise<T> {
    return queues.run(attempt.subjects, async () => {
      const state = await attempt.state();
      // No delay once locked: nothing is compared, so there is nothing left to slow down, and
      // a burst past the cap does not keep the subject's queue busy for minutes.
      if (state.locked) return attempt.refuse(state);
      if (attempt.delayMs) await deps.sleep(attempt.delayMs(state.failures));
      const match = await attempt.compare(state);
      if (match === undefined) return attempt.failed(state);
      return attempt.succeeded(state, match);
    });
  }

  return { check, pendingSubjects: () => queues.size };
}

export type SecretCheck = ReturnType<typeof createSecretCheck>;

/** Subject keys, one place: the queues of different calls about one subject are the same queue. */
export const secretSubjects = {
  /** Customer login and the マイページ password change share the login lock of the typed JSA-ID. */
  login: (jsaId: string) => `login:${jsaId}`,
  /** Staff login and the staff password change, by normalised user name. */
  staffLogin: (username: string) => `staff-login:${username}`,
  /** Reset codes count per account (5 per request, 10 per account per day). */
  resetCode: (accountId: string) => `reset-code:${accountId}`,
  emailChangeCode: (accountId: string) => `email-change-code:${accountId}`,
};

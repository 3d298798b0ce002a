import type { Logger } from './logger';
import type { SecretStore } from './ops/secret-store';
import { codeKeyId } from '../store/central-keys';
import { createSecretBox, type SecretBox } from './secret-box';

/** One key of the deployment's set as central hands it out (sync_code_keys, central migration 0011). */
export interface DeploymentKey {
  id: string;
  secret: string;
  current: boolean;
}

/**
 * standalone: no central; the counter's own key (WEBDESK_SECRET or DATA_DIR/secret.key).
 * awaiting: central is configured but has not handed out its key yet (before the first sync).
 * deployment: the deployment's key from central is current.
 * mismatch: see `CodeKeyStatus.mismatch`.
 */
export type CodeKeyState = 'standalone' | 'awaiting' | 'deployment' | 'mismatch';

export interface CodeKeyStatus {
  state: CodeKeyState;
  /** The key new codes are made with. */
  currentKeyId: string;
  /** Earlier deployment keys still verifying codes made before a rotation, until central retires them. */
  previousKeyIds: string[];
  /** The counter's own key from before it joined (standalone → fleet), kept to verify its own earlier requests. */
  retiredLocalKeyId: string | null;
  /** When central's set last arrived. */
  receivedAt: string | null;
  /** One line for start-up, /health, `sync --status` and the log; null when the keys agree. */
  mismatch: string | null;
  /** For 同期の状態 in ja/en: which mismatch, and the key id it is about. */
  mismatchKind: 'explicit-secret' | 'unknown-key' | null;
  mismatchKeyId: string | null;
}

interface Stored {
  keys: DeploymentKey[];
  receivedAt: string | null;
  /** An explicit WEBDESK_SECRET central does not know (kept so the next start says so at once). */
  refusedKeyId: string | null;
  /** Central's current key when it refused this counter's (ids only). */
  refusedCurrentId?: string | null;
}

export interface CodeKeysDeps {
  /** WEBDESK_SECRET when set, else DATA_DIR/secret.key. */
  localSecret: string;
  /** The operator set WEBDESK_SECRET: it must then be one of the deployment's keys. */
  explicitSecret: boolean;
  /** WEBDESK_CENTRAL_URL is set. */
  synced: boolean;
  secrets: SecretStore;
  logger: Logger;
  /** The one plain line for the operator's terminal (web mode's stderr), once per mismatch. */
  announce?: (line: string) => void;
}

/** The line a counter whose WEBDESK_SECRET is not the deployment's key shows everywhere. */
export function explicitMismatchLine(localId: string, currentId: string | null): string {
  return (
    `code key mismatch: WEBDESK_SECRET here (key ${localId}) is not the deployment's${currentId ? ` (current ${currentId})` : ''}; ` +
    `not syncing, customers are sent to staff. Unset WEBDESK_SECRET to receive the key from central, or adopt it there: WEBDESK_SECRET=… npm run central:rotate-key`
  );
}

export function unknownKeyLine(keyId: string): string {
  return (
    `code key mismatch: a request known at central was made with key ${keyId}, which this counter does not hold; ` +
    `its customer is sent to staff (the key was retired at central, or the request comes from a counter that never received the deployment's key)`
  );
}

/**
 * The code keys of this counter (DESIGN §7 "the deployment's code key lives at central"). Every
 * stored code, link-token and grant HMAC names the key it was made with (`key_id`); new ones
 * use the current key; a row is checked only under the key it names. Central's set arrives with
 * each connection and each pull that logged a rotation, and is kept in the SecretStore (safeStorage
 * or a 0600 file), never in the database, the log or an answer. Keys central no longer lists are
 * dropped; the counter's own key (its secret.key or WEBDESK_SECRET) stays for the rows it made
 * before it joined, which never left it.
 */
export function createCodeKeys(deps: CodeKeysDeps) {
  const localId = codeKeyId(deps.localSecret);
  const boxes = new Map<string, SecretBox>([[localId, createSecretBox(deps.localSecret)]]);
  const boxFor = (key: DeploymentKey): SecretBox => {
    let box = boxes.get(key.id);
    if (!box) {
      box = createSecretBox(key.secret);
      boxes.set(key.id, box);
    }
    return box;
  };

  const read = (): Stored => {
    const raw = deps.secrets.get('code-keys');
    if (!raw) return { keys: [], receivedAt: null, refusedKeyId: null };
    try {
      const parsed = JSON.parse(raw) as Partial<Stored>;
      const keys = (parsed.keys ?? []).filter((k) => typeof k.id === 'string' && typeof k.secret === 'string' && codeKeyId(k.secret) === k.id);
      return { keys, receivedAt: parsed.receivedAt ?? null, refusedKeyId: parsed.refusedKeyId ?? null, refusedCurrentId: parsed.refusedCurrentId ?? null };
    } catch {
      return { keys: [], receivedAt: null, refusedKeyId: null };
    }
  };
  let stored = read();
  /** Key ids of rows met here that no key of the set verifies (cleared when the set brings them). */
  const unknown = new Set<string>();
  let saidExplicit = false;

  const write = (next: Stored) => {
    deps.secrets.set('code-keys', JSON.stringify(next));
    stored = next;
  };
  const deploymentCurrent = () => (deps.synced ? stored.keys.find((k) => k.current) : undefined);
  const explicitRefused = () => deps.synced && deps.explicitSecret && stored.refusedKeyId === localId;

  function mismatch(): string | null {
    if (explicitRefused()) return explicitMismatchLine(localId, stored.refusedCurrentId ?? null);
    const [first] = unknown;
    return first ? unknownKeyLine(first) : null;
  }

  return {
    localKeyId: localId,
    /** The key new hashes are made with. */
    current(): { id: string; box: SecretBox } {
      const key = deploymentCurrent();
      return key ? { id: key.id, box: boxFor(key) } : { id: localId, box: boxes.get(localId)! };
    },
    /** The key a stored row names; rows from before key ids (NULL) were made with this counter's own key. */
    forId(id: string | null): SecretBox | undefined {
      if (id === null || id === localId) return boxes.get(localId);
      const key = stored.keys.find((k) => k.id === id);
      return key ? boxFor(key) : undefined;
    },
    /** Every key that may have made a stored row (for lookups by link token). */
    all(): Array<{ id: string; box: SecretBox }> {
      const ids = new Set([localId, ...stored.keys.map((k) => k.id)]);
      return [...ids].map((id) => ({ id, box: id === localId ? boxes.get(localId)! : boxFor(stored.keys.find((k) => k.id === id)!) }));
    },
    /** The ids of central's set as last received (requests under them travel). */
    deploymentKeyIds: (): string[] => stored.keys.map((k) => k.id),
    /** The one line while the keys here disagree with central's (either kind); null when they agree. */
    mismatch,
    /**
     * Every reset and e-mail-change code is refused (ASK_STAFF): this counter's WEBDESK_SECRET is
     * not the deployment's, so whatever it made or checked would be wrong elsewhere. An unknown
     * key on one row refuses only that row's customer (reset-service.ts).
     */
    refusesCodes: (): boolean => explicitRefused(),
    /** The deployment's set from central. Returns the mismatch line when this counter must not sync. */
    accept(keys: DeploymentKey[], nowIso: string): string | null {
      const valid = keys.filter((k) => codeKeyId(k.secret) === k.id);
      if (deps.explicitSecret && valid.length > 0 && !valid.some((k) => k.id === localId)) {
        const currentId = valid.find((k) => k.current)?.id ?? null;
        if (stored.refusedKeyId !== localId || stored.refusedCurrentId !== currentId) write({ ...stored, refusedKeyId: localId, refusedCurrentId: currentId });
        const line = explicitMismatchLine(localId, currentId);
        // Once per start (reconnects retry every 30 s at most; the log need not repeat it).
        if (!saidExplicit) {
          deps.logger.error({ keyId: localId }, line);
          deps.announce?.(line);
        }
        saidExplicit = true;
        return line;
      }
      const before = stored.keys.map((k) => `${k.id}:${k.current}`).join(',');
      const after = valid.map((k) => `${k.id}:${k.current}`).join(',');
      if (before !== after || stored.refusedKeyId !== null || stored.receivedAt === null) {
        write({ keys: valid.map(({ id, secret, current }) => ({ id, secret, current })), receivedAt: nowIso, refusedKeyId: null });
        for (const id of boxes.keys()) if (id !== localId && !valid.some((k) => k.id === id)) boxes.delete(id);
        // Ids only: the secrets never reach a log line.
        if (before !== after) deps.logger.info({ current: valid.find((k) => k.current)?.id ?? null, keys: valid.map((k) => k.id) }, 'code keys received from central');
      }
      for (const id of [...unknown]) if (valid.some((k) => k.id === id)) unknown.delete(id);
      return null;
    },
    /** A row names a key this counter does not hold: the customer is sent to staff, and it is said loudly. */
    reportUnknown(keyId: string): void {
      if (!unknown.has(keyId)) {
        deps.logger.error({ keyId }, unknownKeyLine(keyId));
        deps.announce?.(unknownKeyLine(keyId));
      }
      unknown.add(keyId);
    },
    status(): CodeKeyStatus {
      const current = deploymentCurrent();
      const line = mismatch();
      const [unknownId] = unknown;
      return {
        state: line ? 'mismatch' : !deps.synced ? 'standalone' : current ? 'deployment' : 'awaiting',
        currentKeyId: current?.id ?? localId,
        previousKeyIds: deps.synced ? stored.keys.filter((k) => !k.current && k.id !== localId).map((k) => k.id) : [],
        retiredLocalKeyId: current && current.id !== localId && !stored.keys.some((k) => k.id === localId) ? localId : null,
        receivedAt: deps.synced ? stored.receivedAt : null,
        mismatch: line,
        mismatchKind: explicitRefused() ? 'explicit-secret' : unknownId ? 'unknown-key' : null,
        mismatchKeyId: explicitRefused() ? localId : (unknownId ?? null),
      };
    },
  };
}

export type CodeKeys = ReturnType<typeof createCodeKeys>;

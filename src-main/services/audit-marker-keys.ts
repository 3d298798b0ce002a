import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { auditMarkerMessage, type AuditPurgeMarker } from '../store/audit-repo';
import type { SecretStore } from './ops/secret-store';
import { hmacEquals, type SecretBox } from './secret-box';

/**
 * The key that signs this counter's audit purge markers (docs/decisions.md "Audit marker keys"):
 * an Ed25519 pair made once per counter (standalone or synced; kept when it joins a fleet), its
 * private half in the SecretStore beside the code keys, its public half registered at central
 * for this counter's client id (central migration 0014), where it is kept for ever. A marker is
 * checked against a public key only, so a marker stays verifiable after every code key that
 * existed when it was written has been rotated and retired, and nobody but the counter that
 * purged can sign a marker for its chain.
 */
export interface MarkerPublicKey {
  id: string;
  /** The SubjectPublicKeyInfo DER, hex (PostgreSQL checks the id with sha256(decode(…, 'hex'))). */
  publicKey: string;
}

interface StoredMarkerKey extends MarkerPublicKey {
  /** PKCS#8 DER, base64url. */
  privateKey: string;
  createdAt: string;
}

/** `m-` and 12 hex digits of the public key's SHA-256: names the key in a marker without more. */
export function markerKeyId(publicKeyHex: string): string {
  return `m-${createHash('sha256').update(Buffer.from(publicKeyHex, 'hex')).digest('hex').slice(0, 12)}`;
}

/** The bytes an Ed25519 marker signature covers: the key id too, so a signature names its key. */
const signedMessage = (keyId: string, m: Pick<AuditPurgeMarker, 'throughSeq' | 'anchorHash' | 'purged' | 'purgedAt'>) =>
  Buffer.from(JSON.stringify(['audit.purged.v2', keyId, m.throughSeq, m.anchorHash, m.purged, m.purgedAt]), 'utf8');

export function newMarkerKey(nowIso: string): StoredMarkerKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = publicKey.export({ type: 'spki', format: 'der' }).toString('hex');
  return { id: markerKeyId(pub), publicKey: pub, privateKey: privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64url'), createdAt: nowIso };
}

/** Signs the marker's fields with the given private key (the counter's own, or a test's). */
export function signMarker(key: { id: string; privateKey: string }, fields: Pick<AuditPurgeMarker, 'throughSeq' | 'anchorHash' | 'purged' | 'purgedAt'>): { keyId: string; sig: string } {
  const pk = createPrivateKey({ key: Buffer.from(key.privateKey, 'base64url'), format: 'der', type: 'pkcs8' });
  return { keyId: key.id, sig: sign(null, signedMessage(key.id, fields), pk).toString('base64url') };
}

/**
 * True when the marker is signed by one of `publicKeys`. Markers from before marker keys carry
 * an HMAC (`mac`) under a code key: they are still accepted under the code keys this counter
 * holds (`legacy`), and stop verifying once those keys are retired — the next purge writes a
 * marker of the new kind, which is the one a log's start is checked against.
 */
export function markerVerifier(publicKeys: () => readonly MarkerPublicKey[], legacy?: () => Array<{ box: SecretBox }>) {
  return (m: AuditPurgeMarker): boolean => {
    if (typeof m.keyId === 'string' && typeof m.sig === 'string') {
      const key = publicKeys().find((k) => k.id === m.keyId);
      if (!key || markerKeyId(key.publicKey) !== key.id) return false;
      try {
        const pub = createPublicKey({ key: Buffer.from(key.publicKey, 'hex'), format: 'der', type: 'spki' });
        return verify(null, signedMessage(key.id, m), pub, Buffer.from(m.sig, 'base64url'));
      } catch {
        return false;
      }
    }
    return typeof m.mac === 'string' && (legacy?.() ?? []).some(({ box }) => hmacEquals(m.mac!, box.hmac('audit-marker', auditMarkerMessage(m))));
  };
}

/** This counter's marker keys from the SecretStore; the first is made here on first use and never replaced. */
export function createMarkerKeys(secrets: SecretStore, nowIso: () => string) {
  const read = (): StoredMarkerKey[] => {
    try {
      const parsed = JSON.parse(secrets.get('audit-marker-keys') ?? '[]') as StoredMarkerKey[];
      return parsed.filter((k) => typeof k.publicKey === 'string' && typeof k.privateKey === 'string' && markerKeyId(k.publicKey) === k.id);
    } catch {
      return [];
    }
  };
  let keys = read();
  if (keys.length === 0) {
    keys = [newMarkerKey(nowIso())];
    secrets.set('audit-marker-keys', JSON.stringify(keys));
  }
  const current = () => keys.at(-1)!;
  return {
    currentId: () => current().id,
    sign: (fields: Pick<AuditPurgeMarker, 'throughSeq' | 'anchorHash' | 'purged' | 'purgedAt'>) => signMarker(current(), fields),
    /** Public halves only: what central is given and what a check needs. */
    publicKeys: (): MarkerPublicKey[] => keys.map(({ id, publicKey }) => ({ id, publicKey })),
  };
}

export type MarkerKeys = ReturnType<typeof createMarkerKeys>;

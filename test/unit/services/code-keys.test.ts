import { describe, expect, it } from 'vitest';
import { createCodeKeys } from '../../../src-main/services/code-keys';
import { createLogger } from '../../../src-main/services/logger';
import { memorySecretStore } from '../../../src-main/services/ops/secret-store';
import { codeKeyId } from '../../../src-main/store/central-keys';

const logger = createLogger({ level: 'silent' });
const OWN = 'this-counters-own-secret-key-0123456789';
const K1 = 'deployment-key-one-0123456789abcdefghij';
const K2 = 'deployment-key-two-0123456789abcdefghij';
const key = (secret: string, current: boolean) => ({ id: codeKeyId(secret), secret, current });
const NOW = '2026-12-06T09:00:00.000Z';

describe('code keys of a counter', () => {
  it('standalone: makes and checks codes with its own key; rows from before key ids (NULL) too', () => {
    const keys = createCodeKeys({ localSecret: OWN, explicitSecret: false, synced: false, secrets: memorySecretStore(), logger });
    expect(keys.current().id).toBe(codeKeyId(OWN));
    expect(keys.forId(null)!.hmac('code', 'x')).toBe(keys.current().box.hmac('code', 'x'));
    expect(keys.status()).toMatchObject({ state: 'standalone', currentKeyId: codeKeyId(OWN), mismatch: null });
  });

  it("synced: awaits central's set, then makes codes under its current key and still checks its own earlier ones", () => {
    const secrets = memorySecretStore();
    const keys = createCodeKeys({ localSecret: OWN, explicitSecret: false, synced: true, secrets, logger });
    expect(keys.status().state).toBe('awaiting');
    const own = keys.current().box.hmac('code', 'r1:CODE');
    expect(keys.accept([key(K1, false), key(K2, true)], NOW)).toBeNull();
    expect(keys.current().id).toBe(codeKeyId(K2));
    expect(keys.forId(codeKeyId(OWN))!.hmac('code', 'r1:CODE')).toBe(own);
    expect(keys.status()).toMatchObject({ state: 'deployment', previousKeyIds: [codeKeyId(K1)], retiredLocalKeyId: codeKeyId(OWN), receivedAt: NOW });
    // Kept in the SecretStore for the next start, and dropped there when central retires a key.
    expect(createCodeKeys({ localSecret: OWN, explicitSecret: false, synced: true, secrets, logger }).current().id).toBe(codeKeyId(K2));
    keys.accept([key(K2, true)], NOW);
    expect(keys.forId(codeKeyId(K1))).toBeUndefined();
    expect(secrets.get('code-keys')).not.toContain(K1);
  });

  it('ignores a key whose id does not name its secret', () => {
    const keys = createCodeKeys({ localSecret: OWN, explicitSecret: false, synced: true, secrets: memorySecretStore(), logger });
    keys.accept([{ id: codeKeyId(K1), secret: K2, current: true }], NOW);
    expect(keys.status().state).toBe('awaiting');
  });

  it('an explicit WEBDESK_SECRET central does not know is a mismatch, remembered for the next start; one it knows is fine', () => {
    const secrets = memorySecretStore();
    const wrong = createCodeKeys({ localSecret: OWN, explicitSecret: true, synced: true, secrets, logger });
    expect(wrong.accept([key(K1, true)], NOW)).toMatch(/^code key mismatch: WEBDESK_SECRET here/);
    expect(wrong.status()).toMatchObject({ state: 'mismatch', mismatchKind: 'explicit-secret', mismatchKeyId: codeKeyId(OWN) });
    expect(wrong.refusesCodes()).toBe(true);
    const again = createCodeKeys({ localSecret: OWN, explicitSecret: true, synced: true, secrets, logger });
    expect(again.mismatch()).toContain(`current ${codeKeyId(K1)}`);
    // Adopted at central: the same counter is fine once the set holds its key.
    expect(again.accept([key(K1, false), key(OWN, true)], NOW)).toBeNull();
    expect(again.status()).toMatchObject({ state: 'deployment', currentKeyId: codeKeyId(OWN), mismatch: null, retiredLocalKeyId: null });
  });

  it('a row under a key it lacks is a mismatch until the set brings that key', () => {
    const keys = createCodeKeys({ localSecret: OWN, explicitSecret: false, synced: true, secrets: memorySecretStore(), logger });
    keys.accept([key(K1, true)], NOW);
    keys.reportUnknown(codeKeyId(K2));
    expect(keys.status()).toMatchObject({ state: 'mismatch', mismatchKind: 'unknown-key', mismatchKeyId: codeKeyId(K2) });
    expect(keys.refusesCodes()).toBe(false);
    keys.accept([key(K1, false), key(K2, true)], NOW);
    expect(keys.status()).toMatchObject({ state: 'deployment', mismatch: null });
  });
});

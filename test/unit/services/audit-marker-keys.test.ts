import { describe, expect, it } from 'vitest';
import { createMarkerKeys, markerKeyId, markerVerifier, newMarkerKey, signMarker } from '../../../src-main/services/audit-marker-keys';
import { memorySecretStore } from '../../../src-main/services/ops/secret-store';
import { createSecretBox } from '../../../src-main/services/secret-box';
import { auditMarkerMessage, type AuditPurgeMarker } from '../../../src-main/store/audit-repo';

const FIELDS = { throughSeq: 40, anchorHash: 'a'.repeat(64), purged: 40, purgedAt: '2026-12-07T00:00:00.000Z' };
const NOW = () => '2026-12-07T00:00:00.000Z';

describe('audit marker keys', () => {
  it('makes one key per store, keeps it across starts, and signs markers only that key verifies', () => {
    const secrets = memorySecretStore();
    const keys = createMarkerKeys(secrets, NOW);
    expect(createMarkerKeys(secrets, NOW).currentId()).toBe(keys.currentId());
    expect(keys.currentId()).toBe(markerKeyId(keys.publicKeys()[0]!.publicKey));
    const marker: AuditPurgeMarker = { ...FIELDS, ...keys.sign(FIELDS) };
    expect(markerVerifier(keys.publicKeys)(marker)).toBe(true);
    // Another counter's key, edited fields, a signature moved to another key id: all refused.
    expect(markerVerifier(() => createMarkerKeys(memorySecretStore(), NOW).publicKeys())(marker)).toBe(false);
    expect(markerVerifier(keys.publicKeys)({ ...marker, purged: 39 })).toBe(false);
    expect(markerVerifier(keys.publicKeys)({ ...marker, throughSeq: 41 })).toBe(false);
    const stranger = newMarkerKey(NOW());
    expect(markerVerifier(keys.publicKeys)({ ...FIELDS, ...signMarker(stranger, FIELDS), keyId: keys.currentId() })).toBe(false);
    // A public key listed under an id that is not its own is not used.
    expect(markerVerifier(() => [{ id: keys.currentId(), publicKey: stranger.publicKey }])({ ...FIELDS, ...signMarker({ ...stranger, id: keys.currentId() }, FIELDS) })).toBe(false);
  });

  it('still checks markers from before marker keys under the code keys held, and only those', () => {
    const box = createSecretBox('a code key of at least thirty-two characters');
    const legacy: AuditPurgeMarker = { ...FIELDS, mac: box.hmac('audit-marker', auditMarkerMessage(FIELDS)) };
    expect(markerVerifier(() => [], () => [{ box }])(legacy)).toBe(true);
    expect(markerVerifier(() => [], () => [])(legacy)).toBe(false);
    expect(markerVerifier(() => [], () => [{ box }])({ ...legacy, purged: 1 })).toBe(false);
  });
});

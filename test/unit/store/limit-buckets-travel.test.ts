// Which limit buckets travel between kiosks (issue 8) is decided by name prefix in
// sync-tables.ts; the bucket names live in the services. This ties the two together, so a
// renamed bucket cannot silently start or stop travelling.
import { describe, expect, it } from 'vitest';
import { inquiryBuckets } from '../../../src-main/services/inquiry-service';
import { buckets } from '../../../src-main/services/limits-service';
import { localOnlyBucketPrefixes } from '../../../src-main/store/sync-tables';

const travels = (bucket: string) => !localOnlyBucketPrefixes.some((prefix) => bucket.startsWith(prefix));

describe('limit buckets across kiosks', () => {
  it("does not put a typed JSA-ID's failures under the prefix central reads as account ids (central 0008)", () => {
    expect(buckets.loginFailureOfTypedId('99999999998').startsWith('loginfail:')).toBe(false);
  });

  it('sends what another kiosk or central must count: per JSA-ID, per address, login failures (of accounts and of typed IDs)', () => {
    for (const bucket of [
      buckets.requestById('12345678901'),
      buckets.requestByEmail('a@example.jp'),
      buckets.loginFailure('acc'),
      buckets.loginFailureOfTypedId('99999999998'),
      inquiryBuckets.byEmail('a@example.jp'),
    ]) {
      expect(travels(bucket), bucket).toBe(true);
    }
  });

  it("keeps a kiosk's own buckets, wrong codes (they travel as reset_requests.attempts) and staff logins (per kiosk) local", () => {
    for (const bucket of [buckets.requestByKiosk('kiosk-a'), inquiryBuckets.byKiosk('kiosk-a'), buckets.codeFailure('acc'), buckets.staffLoginFailure('suzuki')]) {
      expect(travels(bucket), bucket).toBe(false);
    }
  });
});

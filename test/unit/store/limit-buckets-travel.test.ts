// Which limit buckets travel between kiosks (issue 8) is decided by name prefix in
// sync-tables.ts; the bucket names live in the services. This ties the two together, so a
// renamed bucket cannot silently start or stop travelling.
import { describe, expect, it } from 'vitest';
import { inquiryBuckets } from '../../../src-main/services/inquiry-service';
import { buckets } from '../../../src-main/services/limits-service';
import { localOnlyBucketPrefixes } from '../../../src-main/store/sync-tables';

const travels = (bucket: string) => !localOnlyBucketPrefixes.some((prefix) => bucket.startsWith(prefix));

describe('limit buckets across kiosks', () => {
  it('sends what another kiosk or central must count: per JSA-ID, per address, login failures', () => {
    for (const bucket of [buckets.requestById('12345678901'), buckets.requestByEmail('a@example.jp'), buckets.loginFailure('acc'), inquiryBuckets.byEmail('a@example.jp')]) {
      expect(travels(bucket), bucket).toBe(true);
    }
  });

  it("keeps a kiosk's own buckets and wrong codes (they travel as reset_requests.attempts) local", () => {
    for (const bucket of [buckets.requestByKiosk('kiosk-a'), inquiryBuckets.byKiosk('kiosk-a'), buckets.codeFailure('acc')]) {
      expect(travels(bucket), bucket).toBe(false);
    }
  });
});

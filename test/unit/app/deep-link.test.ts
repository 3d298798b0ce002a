import { describe, expect, it } from 'vitest';
import { deepLinkPath, findDeepLink } from '../../../src-main/app/deep-link';

const token = 'Abc_def-0123456789xyzXYZ';

describe('deepLinkPath', () => {
  it('turns jsa-webdesk://reset/<token> into /reset/<token>', () => {
    expect(deepLinkPath(`jsa-webdesk://reset/${token}`)).toBe(`/reset/${token}`);
  });

  it('drops a query or fragment after the token', () => {
    expect(deepLinkPath(`jsa-webdesk://reset/${token}?utm=mail#top`)).toBe(`/reset/${token}`);
  });

  it('keeps an English mail’s lang=en, and nothing else from the query', () => {
    expect(deepLinkPath(`jsa-webdesk://reset/${token}?lang=en`)).toBe(`/reset/${token}?lang=en`);
    expect(deepLinkPath(`jsa-webdesk://reset/${token}?utm=x&lang=en`)).toBe(`/reset/${token}?lang=en`);
    expect(deepLinkPath(`jsa-webdesk://reset/${token}?lang=fr`)).toBe(`/reset/${token}`);
  });

  it.each([
    ['another scheme', `https://reset/${token}`],
    ['another host', `jsa-webdesk://staff/${token}`],
    ['no token', 'jsa-webdesk://reset/'],
    ['a token that is too short', 'jsa-webdesk://reset/abc'],
    ['a token that is too long', `jsa-webdesk://reset/${'a'.repeat(129)}`],
    ['extra path segments', `jsa-webdesk://reset/${token}/../../staff`],
    ['characters outside base64url', `jsa-webdesk://reset/${token}%2F..`],
    ['a javascript: URL', 'javascript:alert(1)//jsa-webdesk://reset/x'],
    ['no URL at all', 'reset'],
  ])('ignores %s', (_what, url) => {
    expect(deepLinkPath(url)).toBeUndefined();
  });
});

describe('findDeepLink', () => {
  it('finds the link among the other arguments Electron passes', () => {
    expect(findDeepLink(['/opt/webdesk/webdesk', '--no-sandbox', `jsa-webdesk://reset/${token}`])).toBe(`/reset/${token}`);
  });

  it('returns undefined when no argument is a deep link', () => {
    expect(findDeepLink(['/opt/webdesk/webdesk', '--flag', 'jsa-webdesk://reset/short'])).toBeUndefined();
  });
});

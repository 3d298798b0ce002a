import { describe, expect, it } from 'vitest';
import { routeFromPath } from '../../../src-renderer/routing/initial-route';

const token = 'Abc_def-0123456789xyzXYZ';

describe('routeFromPath', () => {
  it('opens 変更権限コード with the link’s token, in English when an English mail’s link says so', () => {
    expect(routeFromPath(`/reset/${token}`)).toEqual({ kind: 'code', token });
    expect(routeFromPath(`/reset/${token}?lang=en`)).toEqual({ kind: 'code', token, locale: 'en' });
    expect(routeFromPath(`/reset/${token}/?lang=en&x=1`)).toEqual({ kind: 'code', token, locale: 'en' });
  });

  it('keeps Japanese for any other language and for a mangled link', () => {
    expect(routeFromPath(`/reset/${token}?lang=fr`)).toEqual({ kind: 'code', token });
    expect(routeFromPath('/reset/short?lang=en')).toEqual({ kind: 'code', locale: 'en' });
    expect(routeFromPath('/staff?lang=en')).toEqual({ kind: 'staff' });
    expect(routeFromPath('/?lang=en')).toEqual({ kind: 'top' });
  });
});

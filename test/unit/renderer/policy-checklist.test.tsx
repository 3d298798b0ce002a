import { describe, expect, test } from 'vitest';
import { page } from 'vitest/browser';
import { defaultRuntimeSettings } from '../../../src-main/domain/runtime-settings';
import { PolicyChecklist } from '../../../src-renderer/components/PolicyChecklist';
import { mount } from './mount';

describe('the password checklist’s unseen state words', () => {
  test('are bracketed in the language of the screen: （満たしています） in Japanese, (met) in English', async () => {
    const items = [
      { rule: 'minLength' as const, ok: true, params: { min: 12, length: 14 } },
      { rule: 'notCommon' as const, ok: false },
    ];
    const { i18n } = await mount(<PolicyChecklist policy={defaultRuntimeSettings.passwordPolicy} items={items} confirmMatches={false} />);
    const list = page.getByRole('list');
    await expect.element(list.getByRole('listitem').first()).toHaveTextContent('12 文字以上（いま 14 文字）（満たしています）');
    await i18n.changeLanguage('en');
    await expect.element(list.getByRole('listitem').first()).toHaveTextContent(/ \(met\)$/);
    await expect.element(list.getByRole('listitem').last()).toHaveTextContent(/ \(not met\)$/);
    expect(list.element().textContent).not.toMatch(/[：（）／・、。「」]/);
  });
});

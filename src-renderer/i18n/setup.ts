import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { ja } from './ja';

export type Locale = 'ja' | 'en';
export const locales: readonly Locale[] = ['ja', 'en'];

/** Typed keys: t('login.heading') is checked against ja.ts, and so are its {{params}}. */
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    returnEmptyString: true;
    resources: { translation: typeof ja };
  }
}

/**
 * Japanese by default (the seed's language), whatever the browser says: a kiosk customer
 * picks English with the switch, and the next customer starts in Japanese again.
 */
export function createI18n(): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: { ja: { translation: ja }, en: { translation: en } },
    lng: 'ja',
    fallbackLng: 'ja',
    supportedLngs: ['ja', 'en'],
    // Resources are bundled, so init is synchronous and the first paint is already translated.
    initAsync: false,
    // React escapes text itself; i18next escaping on top would show &amp; to the customer.
    interpolation: { escapeValue: false },
    returnNull: false,
    // app.sentenceSeparator is '' in Japanese; an empty string is a real message here.
    returnEmptyString: true,
  });
  return instance;
}

export function currentLocale(instance: I18n): Locale {
  return instance.resolvedLanguage === 'en' ? 'en' : 'ja';
}

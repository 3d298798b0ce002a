import { useTranslation } from 'react-i18next';
import { currentLocale, type Locale } from '../i18n/setup';

/** Each language is named in itself, so someone who cannot read the other one still finds theirs. */
const choices: { locale: Locale; label: string }[] = [
  { locale: 'ja', label: '日本語' },
  { locale: 'en', label: 'English' },
];

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const active = currentLocale(i18n);
  return (
    <div role="group" aria-label={t('app.languageLabel')} className="language-switch">
      {choices.map(({ locale, label }) => (
        <button
          key={locale}
          type="button"
          lang={locale}
          className="button button--toggle"
          aria-pressed={active === locale}
          onClick={() => void i18n.changeLanguage(locale)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}

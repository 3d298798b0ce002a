import { useTranslation } from 'react-i18next';
import { contrasts, textSizes, useTouchPrefs } from './touch-prefs';

/**
 * The kiosk header's own switches (issue 15): 文字サイズ, コントラスト and, outside kiosk mode
 * (where the keyboard does not come by itself), 「キーボード」. Toggle buttons like the language switch.
 */
export function KioskTools({ keyboardSwitch }: { keyboardSwitch: boolean }) {
  const { t } = useTranslation();
  const { prefs, update } = useTouchPrefs();
  return (
    <div className="kiosk-tools">
      <div role="group" aria-label={t('display.textSize')} className="kiosk-tools__group">
        <span className="kiosk-tools__label" aria-hidden="true">
          {t('display.textSize')}
        </span>
        {textSizes.map((size) => (
          <button key={size} type="button" className="button button--toggle" aria-pressed={prefs.textSize === size} onClick={() => update({ textSize: size })}>
            {t(`display.size.${size}`)}
          </button>
        ))}
      </div>
      <div role="group" aria-label={t('display.contrast')} className="kiosk-tools__group">
        <span className="kiosk-tools__label" aria-hidden="true">
          {t('display.contrast')}
        </span>
        {contrasts.map((mode) => (
          <button key={mode} type="button" className="button button--toggle" aria-pressed={prefs.contrast === mode} onClick={() => update({ contrast: mode })}>
            {t(`display.contrastMode.${mode}`)}
          </button>
        ))}
      </div>
      {keyboardSwitch && (
        <button type="button" className="button button--toggle" aria-pressed={prefs.keyboard} onClick={() => update({ keyboard: !prefs.keyboard })}>
          {t('keyboard.toggle')}
        </button>
      )}
    </div>
  );
}

import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useVoice, voiceLangOf } from './VoiceGuide';
import { contrasts, textSizes, useTouchPrefs } from './touch-prefs';

/**
 * The kiosk header's own switches (issue 15): 文字サイズ, コントラスト and, outside kiosk mode
 * (where the keyboard does not come by itself), 「キーボード」; 音声案内, which says so when the
 * machine has no voice for the language. Toggle buttons like the language switch.
 */
export function KioskTools({ keyboardSwitch }: { keyboardSwitch: boolean }) {
  const { t, i18n } = useTranslation();
  const { prefs, update } = useTouchPrefs();
  const voice = useVoice(voiceLangOf(i18n.language));
  const voiceNoteId = useId();
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
      <div className="kiosk-tools__group">
        <button
          type="button"
          className="button button--toggle"
          aria-pressed={voice !== null && prefs.voice}
          aria-describedby={voice ? undefined : voiceNoteId}
          disabled={voice === null}
          onClick={() => update({ voice: !prefs.voice })}
        >
          {t('voice.toggle')}
        </button>
        {voice === null && (
          <span id={voiceNoteId} className="kiosk-tools__note">
            {t('voice.unavailable')}
          </span>
        )}
      </div>
      {keyboardSwitch && (
        <button type="button" className="button button--toggle" aria-pressed={prefs.keyboard} onClick={() => update({ keyboard: !prefs.keyboard })}>
          {t('keyboard.toggle')}
        </button>
      )}
    </div>
  );
}

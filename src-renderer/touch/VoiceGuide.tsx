import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldValues, linesOnScreen, voiceFor, withoutTyped, type VoiceLang } from './speech';
import { useTouchPrefs } from './touch-prefs';

/** Re-reads the voice list when the browser loads it late (Chromium fills it asynchronously). */
export function useVoice(lang: VoiceLang): SpeechSynthesisVoice | null {
  const [voice, setVoice] = useState(() => voiceFor(lang));
  useEffect(() => {
    setVoice(voiceFor(lang));
    if (!('speechSynthesis' in window)) return;
    const update = () => setVoice(voiceFor(lang));
    window.speechSynthesis.addEventListener('voiceschanged', update);
    return () => window.speechSynthesis.removeEventListener('voiceschanged', update);
  }, [lang]);
  return voice;
}

export const voiceLangOf = (language: string): VoiceLang => (language === 'en' ? 'en-US' : 'ja-JP');

/**
 * 音声案内 (issue 15): while the switch is on, reads each new screen's heading and first
 * instruction, and each error or dialog as it appears, with the Web Speech API. It watches
 * the page's text (a MutationObserver) instead of being told by every screen, so a new screen
 * is read without its own code; only lines not read a moment ago are spoken.
 */
export function VoiceGuide() {
  const { i18n } = useTranslation();
  const { prefs } = useTouchPrefs();
  const lang = voiceLangOf(i18n.language);
  const voice = useVoice(lang);
  const spoken = useRef<string[]>([]);

  useEffect(() => {
    if (!prefs.voice || !voice) return;
    spoken.current = [];
    let frame = 0;
    const read = () => {
      frame = 0;
      const lines = withoutTyped(linesOnScreen(), fieldValues());
      const fresh = lines.filter((line) => !spoken.current.includes(line));
      // A new heading means a new screen: whatever was still being read is stale.
      if (fresh.length > 0 && lines[0] !== spoken.current[0]) window.speechSynthesis.cancel();
      spoken.current = lines;
      for (const line of fresh) {
        const utterance = new SpeechSynthesisUtterance(line);
        utterance.lang = lang;
        utterance.voice = voice;
        window.speechSynthesis.speak(utterance);
      }
    };
    const schedule = () => {
      if (frame === 0) frame = window.requestAnimationFrame(read);
    };
    schedule();
    const observer = new MutationObserver(schedule);
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    return () => {
      observer.disconnect();
      if (frame !== 0) window.cancelAnimationFrame(frame);
      window.speechSynthesis.cancel();
    };
  }, [prefs.voice, voice, lang]);

  return null;
}

import { useCallback, useEffect, useLayoutEffect, useRef, useState, type PointerEvent as ReactPointerEvent, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isLayoutName, layoutFor, shifted, toKatakana, type KeyboardLayoutName, type KeyDef } from './layouts';
import { backspace, clearField, insertText, modifyBeforeCaret } from './type-into';

/** Inputs the keyboard types into; checkboxes and buttons are not typed into. */
const TYPED = new Set(['text', 'password', 'email', 'tel', 'search', 'url']);

export function isTypedInput(element: EventTarget | null): element is HTMLInputElement {
  return element instanceof HTMLInputElement && TYPED.has(element.type) && !element.disabled && !element.readOnly;
}

/** The field says which keys it needs (Field's `keyboard` prop); a password is never shown on kana keys. */
export function layoutNameOf(input: HTMLInputElement): KeyboardLayoutName {
  const named = input.dataset.keyboard;
  if (isLayoutName(named)) return named;
  return input.type === 'password' ? 'password' : 'kana';
}

/** The next field of the same form, or its submit button after the last field. */
function nextStop(input: HTMLInputElement): HTMLElement | null {
  const scope = input.form ?? input.closest('main') ?? document.body;
  const stops = [...scope.querySelectorAll<HTMLElement>('input, button[type="submit"]')].filter(
    (el) => (el instanceof HTMLInputElement ? isTypedInput(el) : !(el as HTMLButtonElement).disabled) && el.getClientRects().length > 0,
  );
  const at = stops.indexOf(input);
  return at >= 0 ? (stops[at + 1] ?? null) : null;
}

/** Taps on the keyboard must not take the focus (and the caret) away from the field. */
const keepFocus = (event: SyntheticEvent) => event.preventDefault();

interface OnScreenKeyboardProps {
  /** Kiosk mode, or the header's 「キーボード」 switch: show the keyboard whenever a field is focused. */
  enabled: boolean;
  /** Changes with the screen: the last screen's field is gone, so is the keyboard until a field is tapped. */
  screen: string;
}

/**
 * The kiosk's own keyboard (issue 15), for screens with no physical keyboard and no OS
 * keyboard. It types into the focused field through type-into.ts, so the page's own state
 * and validation see ordinary typing; a physical keyboard keeps working beside it. Fixed to
 * the bottom of the window; the page gets the same room below (--osk-height), and the
 * focused field is scrolled above it.
 */
export function OnScreenKeyboard({ enabled, screen }: OnScreenKeyboardProps) {
  const { t, i18n } = useTranslation();
  const [target, setTarget] = useState<HTMLInputElement | null>(null);
  const [hidden, setHidden] = useState(false);
  const [pageId, setPageId] = useState<string | null>(null);
  const [shift, setShift] = useState(false);
  const [katakana, setKatakana] = useState(false);
  const [pressed, setPressed] = useState<string | null>(null);
  const panel = useRef<HTMLDivElement>(null);

  // Follow the focus: a typed field becomes the target (and shows the keyboard again after
  // 閉じる). Focus on a button leaves the keyboard where it is: hiding it there would move
  // the page under the finger between touch and click (the tap would land elsewhere).
  useEffect(() => {
    if (!enabled) {
      setTarget(null);
      return;
    }
    const onFocusIn = (event: FocusEvent) => {
      const element = event.target;
      if (panel.current?.contains(element as Node)) return;
      if (isTypedInput(element)) {
        setTarget((previous) => {
          if (previous !== element) {
            setPageId(null);
            setShift(false);
          }
          return element;
        });
        setHidden(false);
      }
    };
    // A tap on the field that already has the focus brings the keyboard back after 閉じる.
    const onPointerDown = (event: PointerEvent) => {
      if (isTypedInput(event.target) && event.target === document.activeElement) setHidden(false);
    };
    const active = document.activeElement;
    if (isTypedInput(active)) setTarget(active);
    document.addEventListener('focusin', onFocusIn);
    document.addEventListener('pointerdown', onPointerDown);
    return () => {
      document.removeEventListener('focusin', onFocusIn);
      document.removeEventListener('pointerdown', onPointerDown);
    };
  }, [enabled]);

  useEffect(() => {
    const active = document.activeElement;
    setTarget(isTypedInput(active) ? active : null);
  }, [screen]);

  // Our keys stand in for the OS touch keyboard: inputmode="none" keeps that one from
  // popping up over ours (Windows, Android shells); the field's own mode comes back after.
  useEffect(() => {
    if (!target) return;
    const before = target.getAttribute('inputmode');
    target.setAttribute('inputmode', 'none');
    return () => {
      if (before === null) target.removeAttribute('inputmode');
      else target.setAttribute('inputmode', before);
    };
  }, [target]);

  const live = target !== null && target.isConnected && !hidden;
  const layoutName = live ? layoutNameOf(target) : null;
  const layout = layoutName ? layoutFor(layoutName) : null;
  // A kana field in English starts on the alphanumeric page.
  const defaultPage = layout && layout.name === 'kana' && i18n.language === 'en' ? 'alnum' : layout?.pages[0]!.id;
  const page = layout?.pages.find((p) => p.id === (pageId ?? defaultPage)) ?? layout?.pages[0];

  // The room the page keeps free below its content, and the focused field above the keyboard.
  useLayoutEffect(() => {
    const root = document.documentElement;
    const element = panel.current;
    if (!live || !element) {
      root.style.removeProperty('--osk-height');
      return;
    }
    const apply = () => {
      // Rounded up, plus a finger's gap: the field's edge never touches the keys.
      root.style.setProperty('--osk-height', `${Math.ceil(element.getBoundingClientRect().height) + 16}px`);
      target.scrollIntoView({ block: 'nearest' });
    };
    apply();
    const observer = new ResizeObserver(apply);
    observer.observe(element);
    return () => {
      observer.disconnect();
      root.style.removeProperty('--osk-height');
    };
  }, [live, target, page?.id]);

  const press = useCallback(
    (key: KeyDef) => {
      if (!target?.isConnected) return;
      // After a tap on 送信 or elsewhere the field may have lost the focus: typing gives it back.
      if (document.activeElement !== target) target.focus({ preventScroll: true });
      const action = key.action;
      switch (action.kind) {
        case 'insert': {
          const text = katakana ? toKatakana(action.text) : shifted(action.text, shift);
          insertText(target, text);
          if (shift) setShift(false);
          break;
        }
        case 'backspace':
          backspace(target);
          break;
        case 'clear':
          clearField(target);
          break;
        case 'shift':
          setShift((on) => !on);
          break;
        case 'page':
          setPageId(action.page);
          setShift(false);
          break;
        case 'script':
          setKatakana((on) => !on);
          break;
        case 'modify':
          modifyBeforeCaret(target, action.modifier);
          break;
      }
    },
    [target, katakana, shift],
  );

  if (!live || !layout || !page) return null;

  const labelOf = (key: KeyDef): string => {
    if (key.labelKey) return t(key.labelKey as never) as string;
    if (key.action.kind === 'insert') return katakana ? toKatakana(key.action.text) : shifted(key.action.text, shift);
    return key.label;
  };
  const pressProps = (id: string) => ({
    onPointerDown: (event: ReactPointerEvent) => {
      event.preventDefault();
      setPressed(id);
    },
    onPointerUp: () => setPressed(null),
    onPointerCancel: () => setPressed(null),
    onPointerLeave: () => setPressed(null),
  });

  const next = () => {
    const stop = nextStop(target);
    if (stop) stop.focus();
    else setHidden(true);
  };

  return (
    <div
      ref={panel}
      className={`osk osk--${layout.name}`}
      role="group"
      aria-label={t('keyboard.label')}
      data-layout={layout.name}
      data-page={page.id}
      onMouseDown={keepFocus}
      onPointerDown={keepFocus}
    >
      <div className="osk__inner">
        <div className="osk__bar">
          <button type="button" tabIndex={-1} className={`osk__control${pressed === 'next' ? ' is-pressed' : ''}`} {...pressProps('next')} onClick={next}>
            {t('keyboard.next')}
          </button>
          <button type="button" tabIndex={-1} className={`osk__control${pressed === 'close' ? ' is-pressed' : ''}`} {...pressProps('close')} onClick={() => setHidden(true)}>
            {t('keyboard.close')}
          </button>
        </div>
        <div className={`osk__rows${page.grouped ? ' osk__rows--grouped' : ''}`}>
          {page.rows.map((row, r) => (
            <div className="osk__row" key={r}>
              {row.map((key, k) => {
                if (!key) return <span className="osk__gap" key={k} aria-hidden="true" />;
                const id = `${page.id}-${r}-${k}`;
                const toggled = (key.action.kind === 'shift' && shift) || (key.action.kind === 'script' && katakana);
                const modifierName = key.action.kind === 'modify' ? t(key.labelKey as never) : undefined;
                return (
                  <button
                    key={id}
                    type="button"
                    tabIndex={-1}
                    className={`osk__key${key.wide ? ' osk__key--wide' : ''}${pressed === id ? ' is-pressed' : ''}`}
                    aria-pressed={key.action.kind === 'shift' || key.action.kind === 'script' ? toggled : undefined}
                    aria-label={modifierName}
                    {...pressProps(id)}
                    onClick={() => press(key)}
                  >
                    {key.action.kind === 'modify' ? key.label : labelOf(key)}
                  </button>
                );
              })}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}

import { useLayoutEffect, useRef, useState, type ChangeEvent } from 'react';
import { CODE_LENGTH } from '../../src-main/contract';
import { Field, type FieldProps } from '../components/Field';
import { caretAfterRegroup, foldCodeChars, groupCode } from './code-format';

interface CodeInputProps extends Pick<FieldProps, 'id' | 'label' | 'hint' | 'error' | 'required' | 'live' | 'announce'> {
  value: string;
  onChange: (value: string) => void;
}

/**
 * The 10-character code, regrouped as "ABCDE-FGHJK" while typing. Regrouping waits while an
 * IME is composing (a Japanese keyboard in full-width mode), and keeps the caret where the
 * customer was typing rather than throwing it to the end.
 */
export function CodeInput({ value, onChange, ...field }: CodeInputProps) {
  const ref = useRef<HTMLInputElement>(null);
  const composing = useRef(false);
  const [caret, setCaret] = useState<number | null>(null);

  useLayoutEffect(() => {
    if (caret !== null && ref.current && document.activeElement === ref.current) {
      ref.current.setSelectionRange(caret, caret);
    }
  }, [caret, value]);

  const regroup = (raw: string, caretAt: number) => {
    const before = foldCodeChars(raw.slice(0, caretAt)).length;
    const grouped = groupCode(foldCodeChars(raw));
    onChange(grouped);
    setCaret(Math.min(caretAfterRegroup(Math.min(before, CODE_LENGTH)), grouped.length));
  };

  const handleChange = (event: ChangeEvent<HTMLInputElement>) => {
    const raw = event.target.value;
    if (composing.current) {
      onChange(raw);
      return;
    }
    regroup(raw, event.target.selectionStart ?? raw.length);
  };

  return (
    <Field
      {...field}
      ref={ref}
      className="input--code"
      name="code"
      value={value}
      onChange={handleChange}
      onCompositionStart={() => {
        composing.current = true;
      }}
      onCompositionEnd={(event) => {
        composing.current = false;
        const input = event.currentTarget;
        regroup(input.value, input.selectionStart ?? input.value.length);
      }}
      inputMode="text"
      autoComplete="one-time-code"
      autoCapitalize="characters"
      autoCorrect="off"
      spellCheck={false}
      placeholder="XXXXX-XXXXX"
      lang="en"
      keyboard="code"
    />
  );
}

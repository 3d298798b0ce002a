import { useEffect, useRef, useState } from 'react';
import type { CallError, PasswordCheckItem } from '../../src-main/contract';
import { toCallError, useApi } from '../api/api-context';

/** 100 ms: one call per pause in typing, still quick enough to feel live. */
const DEBOUNCE_MS = 100;

/**
 * The live パスワードポリシー欄: asks the server (the same rules as the save) after each
 * change. Answers can arrive out of order, so each carries a sequence number and only the
 * newest one is shown. A grant that has expired is reported; other failures leave the
 * list as it was (the save will say what is wrong).
 */
export function usePasswordCheck(grant: string, password: string, initial: PasswordCheckItem[], onGrantError: (e: CallError) => void) {
  const api = useApi();
  const [items, setItems] = useState(initial);
  const sequence = useRef(0);
  const onGrantErrorRef = useRef(onGrantError);
  useEffect(() => {
    onGrantErrorRef.current = onGrantError;
  });

  useEffect(() => {
    const mine = ++sequence.current;
    const timer = window.setTimeout(() => {
      api.call('reset.checkPassword', { grant, password }).then(
        (answer) => {
          if (mine === sequence.current) setItems(answer.items);
        },
        (e: unknown) => {
          const error = toCallError(e);
          if (mine === sequence.current && (error.code === 'GRANT_INVALID' || error.code === 'CODE_EXPIRED')) {
            onGrantErrorRef.current(error);
          }
        },
      );
    }, DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [api, grant, password]);

  return items;
}

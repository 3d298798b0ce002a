import { useEffect, useRef, useState } from 'react';
import type { PasswordCheckItem } from '../../src-main/contract';
import { useApi } from '../api/api-context';

/** 100 ms, as on パスワード登録: one call per pause in typing. */
const DEBOUNCE_MS = 100;

/**
 * The live パスワードポリシー欄 on パスワード変更: the server evaluates the same rules as the
 * save (mypage.checkPassword, with this account as context). Only the newest answer counts.
 */
export function useMypagePasswordCheck(password: string, initial: PasswordCheckItem[]) {
  const api = useApi();
  const [items, setItems] = useState(initial);
  const sequence = useRef(0);

  useEffect(() => {
    const mine = ++sequence.current;
    const timer = window.setTimeout(() => {
      api.call('mypage.checkPassword', { password }).then(
        (answer) => {
          if (mine === sequence.current) setItems(answer.items);
        },
        () => {
          // The save will say what is wrong (or that the login ended).
        },
      );
    }, DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [api, password]);

  return items;
}

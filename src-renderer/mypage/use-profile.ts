import { useEffect, useState } from 'react';
import type { CallError } from '../../src-main/contract';
import { toCallError, useApi } from '../api/api-context';
import { sessionEnded, type Profile } from './mypage-screens';

/**
 * The registered data for a マイページ screen, asked afresh on each screen (so a change made
 * a moment ago shows). A login the server has ended sends the customer to ログイン.
 */
export function useProfile(onSessionEnded: () => void, onError: (error: CallError) => void): Profile | null {
  const api = useApi();
  const [profile, setProfile] = useState<Profile | null>(null);
  useEffect(() => {
    let live = true;
    api.call('mypage.profile', {}).then(
      (p) => {
        if (live) setProfile(p);
      },
      (e: unknown) => {
        if (!live) return;
        const error = toCallError(e);
        if (sessionEnded(error)) onSessionEnded();
        else onError(error);
      },
    );
    return () => {
      live = false;
    };
  }, [api, onSessionEnded, onError]);
  return profile;
}

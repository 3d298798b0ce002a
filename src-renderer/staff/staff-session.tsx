import { createContext, useCallback, useContext, useMemo, useRef, type ReactNode } from 'react';
import { activityOf, staffMay, type CallInput, type CallName, type CallOutput, type StaffAct } from '../../src-main/contract';
import { useApi, toCallError } from '../api/api-context';

export type StaffMe = CallOutput<'staff.me'>;

interface StaffSession {
  me: StaffMe;
  /** A staff call; a lost session (expired, logged out elsewhere) returns to the login screen. */
  call<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>>;
  logout(): Promise<void>;
  /** Whether this user's role may make the call (or do the act): the contract's roles, nothing else. */
  can(what: CallName | StaffAct): boolean;
  /**
   * performance.now() when the last call that is activity left. The server counts a staff
   * login's idle time from the last such call it received (services/sessions.ts; a screen's own
   * poll is passive and typing is no call), so this is never later than the server's own mark.
   */
  lastCallAt(): number;
  /** staff.me again: keeps the login (it is a call) and reads the session length as it is now. */
  reloadMe(): Promise<void>;
}

const Context = createContext<StaffSession | null>(null);

export function StaffSessionProvider({
  me,
  onMe,
  onLost,
  onLogout,
  children,
}: {
  me: StaffMe;
  onMe: (me: StaffMe) => void;
  /** The server no longer knows this login (it expired or was ended elsewhere). */
  onLost: () => void;
  onLogout: () => void;
  children: ReactNode;
}) {
  const api = useApi();
  const lastCall = useRef(performance.now());
  const call = useCallback(
    async <K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>> => {
      // What renews the staff login at the server (registry activityOf) renews the warning's clock.
      if (activityOf(name) === 'staff') lastCall.current = performance.now();
      try {
        return await api.call(name, input);
      } catch (error) {
        const code = toCallError(error).code;
        if (code === 'UNAUTHENTICATED' || code === 'SESSION_EXPIRED') onLost();
        throw error;
      }
    },
    [api, onLost],
  );
  const logout = useCallback(async () => {
    await api.call('staff.logout', {}).catch(() => undefined);
    onLogout();
  }, [api, onLogout]);
  const reloadMe = useCallback(async () => {
    onMe(await call('staff.me', {}));
  }, [call, onMe]);
  const can = useCallback((what: CallName | StaffAct) => staffMay(me.role, what), [me.role]);
  const lastCallAt = useCallback(() => lastCall.current, []);
  const value = useMemo(() => ({ me, call, logout, can, lastCallAt, reloadMe }), [me, call, logout, can, lastCallAt, reloadMe]);
  return <Context value={value}>{children}</Context>;
}

export function useStaff(): StaffSession {
  const session = useContext(Context);
  if (!session) throw new Error('useStaff outside StaffSessionProvider');
  return session;
}

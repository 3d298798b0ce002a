import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import { staffMay, type CallInput, type CallName, type CallOutput, type StaffAct } from '../../src-main/contract';
import { useApi, toCallError } from '../api/api-context';

export type StaffMe = CallOutput<'staff.me'>;

interface StaffSession {
  me: StaffMe;
  /** A staff call; a lost session (expired, logged out elsewhere) returns to the login screen. */
  call<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>>;
  logout(): Promise<void>;
  /** Whether this user's role may make the call (or do the act): the contract's roles, nothing else. */
  can(what: CallName | StaffAct): boolean;
}

const Context = createContext<StaffSession | null>(null);

export function StaffSessionProvider({ me, onLost, children }: { me: StaffMe; onLost: () => void; children: ReactNode }) {
  const api = useApi();
  const call = useCallback(
    async <K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>> => {
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
    onLost();
  }, [api, onLost]);
  const can = useCallback((what: CallName | StaffAct) => staffMay(me.role, what), [me.role]);
  const value = useMemo(() => ({ me, call, logout, can }), [me, call, logout, can]);
  return <Context value={value}>{children}</Context>;
}

export function useStaff(): StaffSession {
  const session = useContext(Context);
  if (!session) throw new Error('useStaff outside StaffSessionProvider');
  return session;
}


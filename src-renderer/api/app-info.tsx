import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { CallOutput } from '../../src-main/contract';
import { useApi } from './api-context';

export type AppInfo = CallOutput<'app.info'>;

/**
 * Used until app.info answers, and kept if it never does (a static file server, a broken
 * backend): the seed's support address and the settings' default idle time, so the screens
 * still render and the contact block still names a real address.
 */
export const fallbackAppInfo: AppInfo = {
  version: '',
  mode: 'kiosk',
  kioskId: '',
  supportEmail: 'webdesk@jisa.or.jp',
  idleTimeoutSeconds: 180,
  codeLifetimeMinutes: 30,
  staffSessionMinutes: 15,
  transport: 'http',
};

const AppInfoContext = createContext<AppInfo>(fallbackAppInfo);

export function AppInfoProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [info, setInfo] = useState<AppInfo>(fallbackAppInfo);
  useEffect(() => {
    let live = true;
    api.call('app.info', {}).then(
      (value) => {
        if (live) setInfo(value);
      },
      () => {
        // Keep the fallback; the first real call will show the UNAVAILABLE message.
      },
    );
    return () => {
      live = false;
    };
  }, [api]);
  return <AppInfoContext value={info}>{children}</AppInfoContext>;
}

export function useAppInfo(): AppInfo {
  return useContext(AppInfoContext);
}

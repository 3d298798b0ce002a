import { createContext, useContext, type ReactNode } from 'react';
import { AppError, createApiClient, type ApiClient, type CallError } from '../../src-main/contract';
import { pickTransport } from './transport';

const ApiContext = createContext<ApiClient | null>(null);

/** One client for the whole renderer; tests or a future staff window may pass their own. */
export function ApiProvider({ client, children }: { client?: ApiClient; children: ReactNode }) {
  return <ApiContext value={client ?? defaultClient()}>{children}</ApiContext>;
}

let cached: ApiClient | undefined;
function defaultClient(): ApiClient {
  cached ??= createApiClient(pickTransport());
  return cached;
}

export function useApi(): ApiClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApi outside ApiProvider');
  return client;
}

/** What a screen needs from a failed call; anything that is not an AppError is our own bug. */
export function toCallError(error: unknown): CallError {
  if (error instanceof AppError) return { code: error.code, fields: error.fields, params: error.params };
  return { code: 'INTERNAL' };
}

import { AppError, type CallResult } from './errors';
import type { CallInput, CallName, CallOutput } from './registry';

/** How a call reaches the main process: IPC through the preload, or fetch in web mode. */
export type RawTransport = (name: CallName, input: unknown) => Promise<CallResult<unknown>>;

export interface ApiClient {
  call<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>>;
}

/** Typed from the registry; a failed call throws AppError with the server's code. */
export function createApiClient(transport: RawTransport): ApiClient {
  return {
    async call(name, input) {
      const result = await transport(name, input);
      if (!result.ok) {
        throw new AppError(result.error.code, { fields: result.error.fields, params: result.error.params });
      }
      return result.value as never;
    },
  };
}

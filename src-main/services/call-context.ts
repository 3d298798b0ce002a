import type { z } from 'zod';
import type { CallName, Contract } from '../contract/registry';
import type { Session } from './sessions';

export interface CallContext {
  session: Session;
  transport: 'ipc' | 'http';
  /** Who did it, as the audit log names them: staff:<id>, customer:<id> or kiosk:<id>. */
  actor: string;
}

export type Handler<K extends CallName> = (
  input: z.output<Contract[K]['input']>,
  ctx: CallContext,
) => Promise<z.input<Contract[K]['output']>>;

/** One handler per call; a missing one is a compile error. */
export type Handlers = { [K in CallName]: Handler<K> };

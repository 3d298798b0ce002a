import type { ErrorCode } from '../../contract/errors';
import { isCallName } from '../../contract/registry';

export interface RecordedError {
  at: string;
  /** The call's name when it is one of ours; an unknown name is not echoed (it could be anything). */
  call: string | null;
  code: ErrorCode;
}

/** The last N error codes the dispatcher returned, for ops.diagnostics (supervisors; not the anonymous /health). */
export class ErrorRing {
  private readonly items: RecordedError[] = [];

  constructor(private readonly size = 20) {}

  record(call: string, code: ErrorCode, atMs: number): void {
    this.items.push({ at: new Date(atMs).toISOString(), call: isCallName(call) ? call : null, code });
    if (this.items.length > this.size) this.items.shift();
  }

  /** Newest first. */
  list(): RecordedError[] {
    return [...this.items].reverse();
  }
}

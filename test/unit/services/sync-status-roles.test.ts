import { describe, expect, it } from 'vitest';
import { statusForRole } from '../../../src-main/services/sync/sync-handlers';
import type { SyncStatus } from '../../../src-main/services/sync/sync-engine';

const offline = (lastError: string) => ({ mode: 'synced', state: 'offline', lastError, lastErrorCode: '42P01' }) as unknown as SyncStatus;

describe('statusForRole', () => {
  const sentence = 'relation "sync_log" does not exist at postgres://kiosk_a:hunter2-pw@db.example.jp/webdesk for tanaka@example.co.jp';

  it('keeps the driver’s sentence from agents and supervisors, and the code', () => {
    for (const role of ['agent', 'supervisor'] as const) expect(statusForRole(offline(sentence), role)).toMatchObject({ lastError: null, lastErrorCode: '42P01' });
    expect(statusForRole(offline(sentence), undefined).lastError).toBeNull();
  });

  it('gives an admin the sentence with the URL password and the address masked', () => {
    const shown = statusForRole(offline(sentence), 'admin').lastError!;
    expect(shown).toContain('kiosk_a');
    expect(shown).not.toContain('hunter2-pw');
    expect(shown).not.toContain('tanaka@');
  });
});

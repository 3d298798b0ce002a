import { describe, expect, it } from 'vitest';
import { cliAppOptions } from '../../../src-main/app/cli-app-options';

describe('how a CLI command starts the app', () => {
  it('import --central runs no sync engine: it would pull back into this store every row the import commits at central', () => {
    expect(cliAppOptions('import', ['--central', 'accounts.csv']).startSync).toBe(false);
    expect(cliAppOptions('import', ['accounts.csv', '--central', '--dry-run']).startSync).toBe(false);
  });

  it('a local import and the other store commands sync beside their work; audit-verify reads what is there', () => {
    expect(cliAppOptions('import', ['accounts.csv']).startSync).toBe(true);
    expect(cliAppOptions('seed', ['--accounts', '10']).startSync).toBe(true);
    expect(cliAppOptions('audit-verify', []).startSync).toBe(false);
  });

  it('no mail worker; only an import leaves set-aside search indexes to its own end', () => {
    expect(cliAppOptions('seed', [])).toMatchObject({ startMailWorker: false, rebuildSetAsideIndexes: true, recoverDamagedStore: false });
    expect(cliAppOptions('import', ['--central', 'a.csv'])).toMatchObject({ rebuildSetAsideIndexes: false });
    expect(cliAppOptions('migrate', ['--recover'])).toMatchObject({ recoverDamagedStore: true });
  });
});

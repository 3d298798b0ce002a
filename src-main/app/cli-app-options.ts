import type { CreateAppOptions } from './create-app';

/**
 * How a CLI command starts the app. No mail worker in any. The sync engine runs beside the
 * commands that work on this store, except:
 * - audit-verify reads what is there: no sync engine streaming or reporting meanwhile;
 * - import --central writes to central, not to this store: a sync engine here would pull every
 *   row the import commits back into this store (a first sync of central's accounts too, for a
 *   fresh data folder), in the importer's own process and on the same cores as its parse and
 *   central's merge. The command streams this store's audit entries when it ends (cli.ts).
 */
export function cliAppOptions(command: string, args: readonly string[]): Pick<CreateAppOptions, 'defaultLinkBase' | 'startMailWorker' | 'startSync' | 'recoverDamagedStore' | 'rebuildSetAsideIndexes'> {
  return {
    defaultLinkBase: 'web',
    startMailWorker: false,
    startSync: command !== 'audit-verify' && !(command === 'import' && args.includes('--central')),
    recoverDamagedStore: args.includes('--recover'),
    rebuildSetAsideIndexes: command !== 'import',
  };
}

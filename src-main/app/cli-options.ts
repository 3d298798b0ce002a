// The options each command of the counter's command line takes. An option a command does not
// know is refused before anything runs, never passed over: `import FILE --dryrun` (a typo of
// --dry-run) imported the file for real, and `sync --stauts` ran a full sync. A command not
// listed is refused before the data folder is made or migrated.

/** Command → its options (the ones followed by a value marked `=`); `--opt=value` is accepted as `--opt value`. */
const COMMAND_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  migrate: ['--recover'],
  seed: ['--accounts='],
  import: ['--dry-run', '--rejects=', '--lang=', '--central'],
  'settings-set': [],
  'settings-show': [],
  'support-bundle': [],
  backup: [],
  restore: ['--force'],
  'central-migrate': [],
  'central-prune': ['--silent-days='],
  'central-rotate-key': [],
  sync: ['--status', '--follow', '--take-over', '--verbose', '--page-size=', '--push-batch=', '--audit-batch='],
  'audit-verify': ['--central'],
  'audit-accept': ['--counter=', '--reason=', '--by='],
  'staff-reset-password': [],
};

/**
 * How many operands (files, names, KEY JSON) each command takes. One more is refused as an
 * unknown option is: `seed 5` (for `--accounts 5`) added the default 1,000 synthetic accounts,
 * `backup a.sqlite3 b.sqlite3` wrote only the first.
 */
const COMMAND_OPERANDS: Readonly<Record<string, number>> = {
  migrate: 0,
  seed: 0,
  import: 1,
  'settings-set': 2,
  'settings-show': 0,
  'support-bundle': 1,
  backup: 1,
  restore: 1,
  'central-migrate': 0,
  'central-prune': 0,
  'central-rotate-key': 0,
  sync: 0,
  'audit-verify': 0,
  'audit-accept': 0,
  'staff-reset-password': 1,
};

export function isCommand(command: string): boolean {
  return Object.hasOwn(COMMAND_OPTIONS, command);
}

/**
 * The one line refusing the first option `command` does not take, or one that takes a value
 * given none (`seed --accounts` seeded the default 1000, `start:web -- --port` served on 5890);
 * undefined when every option is right. A value after an option that takes one is the value,
 * whatever it starts with (`audit-accept --reason "--test run"`). `known`: the command's own
 * list (web mode's entry passes its own).
 */
export function unknownOptionLine(command: string, args: readonly string[], known: readonly string[] = COMMAND_OPTIONS[command] ?? []): string | undefined {
  const names = known.map((o) => o.replace(/=$/, ''));
  const operands = COMMAND_OPERANDS[command] ?? Number.POSITIVE_INFINITY;
  let seen = 0;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    // `--` alone ends npm's options, not ours: nothing to refuse.
    if (arg === '--') continue;
    if (!arg.startsWith('--')) {
      seen += 1;
      if (seen <= operands) continue;
      const takes = operands === 0 ? 'none' : `${operands}`;
      return `${command}: 余分な引数 "${arg}" があります / unexpected argument "${arg}" (operands this command takes: ${takes}; options: ${names.length > 0 ? names.join(', ') : 'none'}); nothing was done`;
    }
    const name = arg.split('=')[0]!;
    if (names.includes(name)) {
      if (!known.includes(`${name}=`) || arg.includes('=')) continue;
      if (i + 1 >= args.length) return `${command}: ${name} には値が必要です / ${name} needs a value; nothing was done`;
      i += 1;
      continue;
    }
    const takes = names.length > 0 ? names.join(', ') : 'none';
    return `${command}: ${name} というオプションはありません / unknown option ${name} (this command takes: ${takes}); nothing was done`;
  }
  return undefined;
}

/**
 * `npm run accounts:import FILE --dry-run`, without the `--` README writes before the options:
 * npm takes --dry-run as its own setting (npm_config_dry_run) and runs the script without it,
 * so the import wrote every row. The one line refusing that, or undefined. Other options npm
 * does not know it drops with a warning of its own; --dry-run is the one it takes silently.
 */
export function npmTookDryRunLine(command: string, env: NodeJS.ProcessEnv): string | undefined {
  if (env.npm_config_dry_run !== 'true') return undefined;
  return `${command}: --dry-run は npm が受け取りました / npm took --dry-run for itself: put -- before the command's options (npm run accounts:import -- FILE.csv --dry-run); nothing was done`;
}

/** The one line of a central command run without WEBDESK_CENTRAL_URL (sync and central-* said it in English only). */
export function centralUrlMissingLine(command: string): string {
  return `${command}: WEBDESK_CENTRAL_URL を設定してください / set WEBDESK_CENTRAL_URL=postgres://… first`;
}

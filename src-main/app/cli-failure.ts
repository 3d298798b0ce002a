// The last line of a command that stopped on an error no step of it worded: the store's driver
// or the file system failing under it. Their own text is not for an operator: a full disk
// ended `seed` and `import` with "webdesk: COMMIT; - SQLITE_FULL: database or disk is full" (SQL
// text, and which disk?). Errors the app itself words (start-up's refusals) carry no code and
// keep their message.

/** What a command whose run stopped part-way leaves, and how it goes on. */
export function whatStays(command: string): string {
  const then = command === 'import' ? '; run the same import again to finish the file' : command === 'sync' ? '; npm run sync goes on from there' : '';
  return `what it had committed stays${then}`;
}

/** One line, in Japanese and English, for an error that reached the command line's last catch. */
export function cliFailureLine(command: string, dataDir: string | undefined, error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return `webdesk: ${error instanceof Error ? error.message : String(error)}`;
  const folder = dataDir ?? 'WEBDESK_DATA_DIR';
  const said = (ja: string, en: string, todo: string) => `${command}: ${ja} / ${en} (${code}); ${todo}; ${whatStays(command)}`;
  if (/^(?:SQLITE_FULL|ENOSPC|EDQUOT)/.test(code)) return said('データフォルダのディスクがいっぱいです', `the disk of the data folder ${folder} is full`, 'free space there and run it again');
  if (/^(?:SQLITE_READONLY|EROFS|EACCES|EPERM)/.test(code)) return said('データフォルダに書き込めません', `the data folder ${folder} stopped taking writes`, 'make it writable and run it again');
  if (/^(?:SQLITE_BUSY|SQLITE_LOCKED)/.test(code)) return said('ストアが他のプロセスに使われています', `another process held the store in ${folder} too long`, 'run it again when that has finished');
  if (/^(?:SQLITE_CORRUPT|SQLITE_NOTADB)/.test(code)) return said('ストアが壊れています', `the store in ${folder} is damaged`, 'stop the app and restore a backup (npm run restore -- FILE)');
  return said('予期しないエラーで止まりました', 'stopped on an unexpected error', 'run it again; if it stops again, give support the code above');
}

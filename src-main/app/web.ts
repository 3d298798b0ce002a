import { join } from 'node:path';
import { createHttpTransport } from '../transport/http';
import { sessionTimeouts } from '../services/sessions';
import { installProcessGuard } from './process-guard';
import { createApp } from './create-app';
import { argValue, loadConfigOrExit } from './entry-support';
import { unknownOptionLine } from './cli-options';
import { firstAdminNotice } from './first-admin';

/**
 * Web mode: the built renderer and the contract registry on 127.0.0.1 only. How a counter
 * PC runs the app in a browser, and how the end-to-end tests drive the real UI.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  // `--prot 6521` (a typo) or a bare `--port` served on 5890 as if nothing had been asked.
  const refused = unknownOptionLine('webdesk', args, ['--port=', '--recover']);
  if (refused) {
    process.stderr.write(`${refused}\n`);
    process.exit(2);
  }
  const config = loadConfigOrExit();
  const portArg = argValue(args, '--port') ?? process.env.PORT ?? '5890';
  const port = Number(portArg);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`webdesk: --port: expected a port number 0-65535 (got ${portArg})\n`);
    process.exit(2);
  }
  const app = await createApp(config, { defaultLinkBase: 'web', logToConsole: true, firstStart: true, exclusive: true, recoverDamagedStore: args.includes('--recover') });
  installProcessGuard(app.logger);
  const http = createHttpTransport({
    dispatch: app.dispatch,
    sessions: app.sessions,
    timeouts: async () => sessionTimeouts(await app.settings.get()),
    staticDir: join(__dirname, '..', 'renderer'),
    logger: app.logger,
    transfers: app.transfers,
    getRoutes: {
      '/health': () => app.publicHealth(),
    },
  });
  let bound: number;
  try {
    bound = await http.listen(port);
  } catch (error) {
    process.stderr.write(`webdesk: cannot listen on 127.0.0.1:${port}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
    await app.close();
    process.exit(1);
  }
  const url = `http://127.0.0.1:${bound}`;
  app.setWebBase(url);
  process.stdout.write(`JSA Webdesk counter (web mode) at ${url}/  — staff tools at ${url}/staff\n`);
  if (app.firstAdmin) process.stdout.write(firstAdminNotice(app.firstAdmin));
  process.stdout.write(`data folder: ${config.dataDir}${config.smtpUrl ? '' : `  (mail is written to ${join(config.dataDir, 'maildrop')})`}\n`);

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await http.close();
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  process.stderr.write(`webdesk: start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

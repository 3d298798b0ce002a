// The Playwright kit (test/kit/webdesk-kit.ts) starts web mode and its SMTP peer on ports the OS
// gives them as they bind. It used to ask for a free port, let it go and bind it later: in
// between, the other e2e worker's app or any outgoing connection could take it (the SMTP peer's
// listen then threw outside the test and the test hung; web mode exited with EADDRINUSE). Here
// every port freePort hands out is taken at once by someone else: the kit must not rely on one.
import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it, vi } from 'vitest';

const takers: Server[] = [];
vi.mock('../support/net', async (original) => {
  const real = (await original()) as { freePort: () => Promise<number> };
  return {
    freePort: async () => {
      const port = await real.freePort();
      const taker = createServer();
      await new Promise<void>((resolve) => taker.listen(port, '127.0.0.1', resolve));
      takers.push(taker);
      return port;
    },
  };
});

afterAll(async () => {
  for (const taker of takers) await new Promise((resolve) => taker.close(resolve));
});

describe('the Playwright kit', () => {
  it('starts web mode, with demo accounts and an SMTP peer, on ports nobody can take in between', async () => {
    const { launchWebApp } = await import('../kit/webdesk-kit');
    const app = await launchWebApp({ smtp: true, demoAccounts: true });
    try {
      expect((await fetch(`${app.url}/health`)).status).toBe(200);
      expect(app.output()).toContain(`(web mode) at ${app.url}/`);
    } finally {
      await app.close();
    }
  });
});

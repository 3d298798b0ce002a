import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..', '..');

describe('npm run dist', () => {
  it('says in one paragraph why it cannot build without the Electron binary and stops with exit 1', () => {
    const result = spawnSync(process.execPath, [join(root, 'scripts', 'dist.mjs')], {
      cwd: root,
      encoding: 'utf8',
      // A bound, not an expectation: a dist.mjs that hangs is killed and fails below.
      timeout: 20_000,
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: join(root, 'no-such-electron') },
    });
    expect(result.error, 'dist.mjs ended by itself').toBeUndefined();
    expect(result.status).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Electron binary is not installed.*docs\/operations\.md/);
  });
});

// Issue 13 §9: a production build (npm run build, as npm start and npm run dist make it)
// ships no source maps and no sourceMappingURL comment pointing at one; the test build
// (npm test: --source-maps) keeps them. The build runs into a temp folder, not dist/.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../support/temp-dir';

const root = join(__dirname, '..', '..');
const dirs: TempDir[] = [];
afterAll(async () => {
  for (const dir of dirs) await dir.remove();
});

async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('production build', () => {
  it('ships no source map and no reference to one; npm test builds with them', async () => {
    const dir = await makeTempDir('webdesk-build-');
    dirs.push(dir);
    await promisify(execFile)(process.execPath, [join(root, 'scripts', 'build.mjs'), '--out-dir', dir.path], { cwd: root, timeout: 180_000 });
    const files = await filesUnder(dir.path);
    expect(files.some((f) => f.endsWith(join('renderer', 'index.html')))).toBe(true);
    expect(files.some((f) => f.endsWith(join('main', 'web.cjs')))).toBe(true);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    for (const file of files.filter((f) => /\.(?:c?js|css)$/.test(f))) {
      expect(await readFile(file, 'utf8'), file).not.toMatch(/sourceMappingURL=/);
    }
    const testRunner = await readFile(join(root, 'scripts', 'test.mjs'), 'utf8');
    expect(testRunner).toMatch(/'build', '--', '--source-maps'/);
    const builder = await readFile(join(root, 'electron-builder.yml'), 'utf8');
    expect(builder).toContain('"!dist/**/*.map"');
  });
});

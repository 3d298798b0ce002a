// Where the e2e specs save their pictures. `npm run screenshots` (WEBDESK_SCREENSHOTS=docs)
// refreshes the ones README shows, in docs/screenshots/; any other run saves them under
// test-results/screenshots/ for a look after the run, so `npm test` leaves the tree clean
// (a picture differs by a few anti-aliased pixels from run to run).
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

export const SCREENSHOT_DIR = process.env.WEBDESK_SCREENSHOTS === 'docs' ? join(root, 'docs', 'screenshots') : join(root, 'test-results', 'screenshots');

/** The path for a picture, e.g. screenshotPath('staff', 'login.ja.png'). */
export const screenshotPath = (...parts: string[]): string => join(SCREENSHOT_DIR, ...parts);

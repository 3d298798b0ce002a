import { homedir, hostname } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { mailFromProblem } from '../domain/mail-from';
import type { ConfigSource, DeploymentKey } from '../services/ops/setup-service';
import { deploymentFilePath, readDeploymentValues } from './deployment-file';
import { secretFault } from './deployment-secret';

/**
 * Start-up settings from the environment (DESIGN §5). Each has a default that runs the app
 * on its own; a bad value stops start-up with one line naming the variable.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'jsa-webdesk-counter');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'jsa-webdesk-counter');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'jsa-webdesk-counter');
}

/** A string `fault` checks: it says what is wrong, or returns undefined. */
const checkedString = (fault: (value: string) => string | undefined) =>
  z.string().superRefine((value, ctx) => {
    const message = fault(value);
    if (message !== undefined) ctx.addIssue({ code: 'custom', message });
  });

/**
 * smtp:// and postgres:// take no host without complaint (pg then dials 127.0.0.1:5432 and
 * nodemailer localhost), and port 0 dials nothing. A host in `?host=` counts: pg and
 * nodemailer both read it (a PostgreSQL socket folder is given so).
 */
const urlWithScheme = (schemes: string[], example: string) =>
  checkedString((value) => {
    const expected = `expected a URL like ${example}`;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return expected;
    }
    if (!schemes.includes(url.protocol)) return expected;
    if (url.hostname === '' && !url.searchParams.get('host')) return `${expected} (this one names no host)`;
    if (url.port === '0') return `${expected} (port 0 is no port)`;
    return undefined;
  });

/**
 * Where everything the counter keeps goes. Blank, `~…` (only a shell expands it; a service
 * manager hands it over as it is) and relative paths are refused rather than resolved: each
 * start from another working folder would otherwise make, and use, a data folder there.
 * Under /proc, /sys and /dev no folder can be made, and Node's recursive mkdir spins there.
 */
function dataDirFault(value: string): string | undefined {
  if (value.trim() === '') return 'expected a folder path, not blanks';
  if (value.startsWith('~')) return 'expected an absolute path (~ is expanded only by a shell; write the home folder out, like /home/kiosk/webdesk)';
  if (!isAbsolute(value)) return 'expected an absolute path, like /srv/webdesk (a relative one depends on the folder the counter is started from)';
  if (process.platform !== 'win32' && /^\/(?:proc|sys|dev)(?:\/|$)/.test(resolve(value))) return 'expected a folder on a disk, not under /proc, /sys or /dev';
  return undefined;
}

const defaultKioskId = () => hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64) || 'kiosk';

export const configSchema = z.object({
  WEBDESK_DATA_DIR: checkedString(dataDirFault).optional(),
  WEBDESK_SMTP_URL: urlWithScheme(['smtp:', 'smtps:'], 'smtp://user:pass@host:587').optional(),
  WEBDESK_MAIL_FROM: z
    .string()
    .superRefine((value, ctx) => {
      const problem = mailFromProblem(value);
      if (problem === 'controlCharacters') ctx.addIssue({ code: 'custom', message: 'a line break, tab, control character or invisible mark would start a new mail header; expected one line like "JSA Webdesk <webdesk@example.jp>"' });
      else if (problem) ctx.addIssue({ code: 'custom', message: 'expected an address like "JSA Webdesk <webdesk@example.jp>"' });
    })
    .default('JSA Webdesk <webdesk@jisa.or.jp>'),
  WEBDESK_CENTRAL_URL: urlWithScheme(['postgres:', 'postgresql:'], 'postgres://user:pass@host:5432/webdesk').optional(),
  WEBDESK_KIOSK_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, { message: 'expected 1-64 letters, digits, dots, dashes or underscores' })
    .optional(),
  WEBDESK_MODE: z.enum(['kiosk', 'staff'], { message: 'expected "kiosk" or "staff"' }).default('staff'),
  WEBDESK_PUBLIC_URL: urlWithScheme(['http:', 'https:'], 'https://webdesk.example.jp').optional(),
  WEBDESK_SECRET: checkedString(secretFault).optional(),
  WEBDESK_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'expected a pino level such as info' }).default('info'),
});

export interface AppConfig {
  dataDir: string;
  smtpUrl?: string;
  mailFrom: string;
  centralUrl?: string;
  kioskId: string;
  mode: 'kiosk' | 'staff';
  publicUrl?: string;
  secret?: string;
  logLevel: string;
  /** Where each deployment value came from: the environment, DATA_DIR/deployment.json, or the default. */
  sources?: Partial<Record<DeploymentKey, ConfigSource>>;
}

/** deployment.json key → the variable it stands in for. */
const deploymentVariables: Record<DeploymentKey, keyof typeof configSchema.shape> = {
  kioskId: 'WEBDESK_KIOSK_ID',
  mode: 'WEBDESK_MODE',
  publicUrl: 'WEBDESK_PUBLIC_URL',
  mailFrom: 'WEBDESK_MAIL_FROM',
  smtpUrl: 'WEBDESK_SMTP_URL',
  centralUrl: 'WEBDESK_CENTRAL_URL',
};

export class ConfigError extends Error {
  constructor(readonly variable: string, readonly expectation: string) {
    super(`${variable}: ${expectation}`);
    this.name = 'ConfigError';
  }
}

/**
 * Empty variables count as unset, as shells and service managers often leave them. Values
 * saved by first-run setup (DATA_DIR/deployment.json) fill in what the environment leaves
 * unset: the environment wins, so an operator can always override a saved value.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const relevant = Object.fromEntries(
    Object.keys(configSchema.shape)
      .map((key) => [key, env[key]] as const)
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const fromEnv = parseOrThrow(relevant, '');
  const dataDir = fromEnv.WEBDESK_DATA_DIR ?? defaultDataDir(env);
  const sources: Partial<Record<DeploymentKey, ConfigSource>> = {};
  const merged: Record<string, unknown> = {};
  let saved: ReturnType<typeof readDeploymentValues>;
  try {
    saved = readDeploymentValues(dataDir);
  } catch {
    throw new ConfigError(deploymentFilePath(dataDir), 'not valid JSON; fix it or delete it and run the setup again');
  }
  for (const [key, variable] of Object.entries(deploymentVariables) as Array<[DeploymentKey, string]>) {
    if (relevant[variable] !== undefined) sources[key] = 'env';
    else if (saved?.[key] !== undefined && saved[key] !== '') {
      merged[variable] = saved[key];
      sources[key] = 'file';
    } else sources[key] = 'default';
  }
  const c = parseOrThrow({ ...merged, ...relevant }, `${deploymentFilePath(dataDir)}: `);
  return {
    dataDir,
    smtpUrl: c.WEBDESK_SMTP_URL,
    mailFrom: c.WEBDESK_MAIL_FROM,
    centralUrl: c.WEBDESK_CENTRAL_URL,
    kioskId: c.WEBDESK_KIOSK_ID ?? defaultKioskId(),
    mode: c.WEBDESK_MODE,
    publicUrl: c.WEBDESK_PUBLIC_URL?.replace(/\/+$/, ''),
    secret: c.WEBDESK_SECRET,
    logLevel: c.WEBDESK_LOG_LEVEL,
    sources,
  };
}

/** The first bad value as a ConfigError; `filePrefix` names deployment.json for values that came from it. */
function parseOrThrow(values: Record<string, unknown>, filePrefix: string) {
  const parsed = configSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    throw new ConfigError(filePrefix && values[variable] !== undefined ? `${filePrefix}${variable}` : variable, issue.message);
  }
  return parsed.data;
}

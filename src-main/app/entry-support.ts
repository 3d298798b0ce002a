import { ConfigError, loadConfig, type AppConfig } from './config';

/** A bad setting ends start-up with one line naming the variable, and exit code 2 (DESIGN §5). */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`webdesk: ${error.variable}: ${error.expectation}\n`);
      process.exit(2);
    }
    throw error;
  }
}

export function argValue(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index >= 0) return args[index + 1];
  const inline = args.find((a) => a.startsWith(`${name}=`));
  return inline?.slice(name.length + 1);
}

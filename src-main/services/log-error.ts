/**
 * What the operations log keeps of an unexpected error: its type, its code and where it was
 * thrown. Not its message when it came from the store: knex writes the statement with its
 * values into the message (a searched name, an e-mail address), and the driver quotes input.
 * JavaScript's own errors (TypeError and the like) keep their message, which names code, not data.
 */
const BUILT_IN_ERRORS = new Set(['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'EvalError', 'URIError']);

export interface LoggedError {
  type: string;
  errno?: string;
  message?: string;
  frames?: string;
}

export function loggedError(error: unknown): LoggedError {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as NodeJS.ErrnoException).code;
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 12)
    .map((line) => line.trim())
    .join('\n');
  return {
    type: error.name,
    ...(typeof code === 'string' ? { errno: code.slice(0, 40) } : {}),
    ...(BUILT_IN_ERRORS.has(error.name) && error.constructor.name === error.name ? { message: error.message.slice(0, 300) } : {}),
    ...(frames ? { frames } : {}),
  };
}

// Bounded polling for things that happen off the call stack (the mail worker, the SMTP peer).
// Not a timed assertion: it waits *up to* the limit and fails with what it was waiting for.
export async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  options: { what: string; timeoutMs?: number; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${options.what} after ${options.timeoutMs ?? 10_000} ms`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 25));
  }
}

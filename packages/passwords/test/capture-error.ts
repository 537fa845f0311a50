/** Runs `fn` and returns what it threw (sync or async); fails the test when it did not throw. */
export async function captureError(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`expected an Error, got ${String(e)}`);
  }
  throw new Error('expected an error, but none was thrown');
}

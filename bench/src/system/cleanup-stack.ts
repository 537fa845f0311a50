/**
 * Everything the benchmark starts registers how to stop it here; {@link CleanupStack.run} stops them in
 * reverse order, once, from the `finally` of main and from SIGINT/SIGTERM/uncaught errors.
 */

/** One stop action. */
export type CleanupAction = () => Promise<void> | void;

/** A LIFO list of stop actions, run at most once. */
export class CleanupStack {
  private readonly actions: { label: string; action: CleanupAction }[] = [];
  private running: Promise<void> | undefined;

  /** Registers `action`; returns a function that runs and forgets it early. */
  push(label: string, action: CleanupAction): () => Promise<void> {
    const entry = { label, action };
    this.actions.push(entry);
    return async () => {
      const index = this.actions.indexOf(entry);
      if (index < 0) return;
      this.actions.splice(index, 1);
      await entry.action();
    };
  }

  /** Runs every registered action, newest first; errors are reported on stderr and do not stop the rest. */
  run(): Promise<void> {
    this.running ??= (async () => {
      while (this.actions.length > 0) {
        const entry = this.actions.pop();
        if (entry === undefined) break;
        try {
          await entry.action();
        } catch (error) {
          process.stderr.write(`bench: cleanup "${entry.label}" failed: ${String(error)}\n`);
        }
      }
    })();
    return this.running;
  }

  /** Runs the stack then exits on SIGINT, SIGTERM and uncaught errors. */
  installSignalHandlers(): void {
    const stop = (code: number) => {
      void this.run().finally(() => process.exit(code));
    };
    process.once('SIGINT', () => stop(130));
    process.once('SIGTERM', () => stop(143));
    process.once('uncaughtException', (error) => {
      process.stderr.write(`bench: ${error.stack ?? String(error)}\n`);
      stop(1);
    });
  }
}

/**
 * `npm run bench`: PigeonDeliver against a private Dovecot, loopback only, bounded in time; stops
 * everything it started (also on errors and SIGINT). Prints the table, writes the JSON and the generated
 * section of docs/performance.md. See ../README.md.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBenchOptions } from './bench-options.js';
import { runBench } from './bench-run.js';
import { writeDocsSection } from './report/docs-writer.js';
import { renderReport } from './report/text-report.js';
import { CleanupStack } from './system/cleanup-stack.js';
import { assertLoopback } from './system/loopback-guard.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(): Promise<number> {
  const options = parseBenchOptions(process.argv.slice(2), repoRoot);
  assertLoopback(options.host);
  const cleanup = new CleanupStack();
  cleanup.installSignalHandlers();
  const started = Date.now();
  const log = (line: string) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);
  const dir = await mkdtemp('/tmp/pd-bench-');
  await chmod(dir, 0o755); // the mail user and the worker user must traverse it
  if (!options.keep) cleanup.push('run directory', () => rm(dir, { recursive: true, force: true }));
  try {
    const results = await runBench(options, repoRoot, dir, cleanup, log);
    const report = renderReport(results);
    process.stdout.write(`\n${report}`);
    await mkdir(dirname(options.jsonFile), { recursive: true });
    await writeFile(options.jsonFile, `${JSON.stringify(results, null, 2)}\n`);
    log(`JSON written to ${options.jsonFile}`);
    if (options.docsFile !== undefined) {
      await writeDocsSection(options.docsFile, report);
      log(`generated section of ${options.docsFile} updated`);
    }
    if (options.keep) log(`run directory kept: ${join(dir)}`);
    log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return 0;
  } finally {
    await cleanup.run();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);

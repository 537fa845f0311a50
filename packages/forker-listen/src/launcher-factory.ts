/** The launcher the primary uses: core's in-process LocalSessionLauncher (the privileged half). */
import { limitsFromOptions, LocalSessionLauncher, type ISessionLauncher, type Logger } from '@pigeondeliver/core';
import type { PrimaryConfig } from './primary-options.js';

/** Builds the primary's launcher from its options. */
export function createPrimaryLauncher(config: PrimaryConfig, logger: Logger): ISessionLauncher {
  return new LocalSessionLauncher(config.options, limitsFromOptions(config.options), logger);
}

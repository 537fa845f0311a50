/** The options pd-forker-stdio reads (prefix `stdio_`), passed as createApplication's extraOptions. */
import { stringOption, type OptionSpec } from '@pigeondeliver/core/early';

/** Every option of pd-forker-stdio, by field. */
export const STDIO_OPTIONS = {
  user: stringOption(
    'stdio_user',
    'when started as root: effective user while reading the client (root is regained only to start the backend); default nobody',
    '',
  ),
} satisfies Record<string, OptionSpec<unknown>>;

/** All of them. */
export const STDIO_OPTION_SPECS: readonly OptionSpec<unknown>[] = Object.values(STDIO_OPTIONS);

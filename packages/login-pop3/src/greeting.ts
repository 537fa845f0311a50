/**
 * @packageDocumentation
 * `@pigeondeliver/login-pop3/greeting`: the POP3 greeting computed before the service is loaded
 * (docs/architecture.md "Greeting first"), with the APOP timestamp (RFC 1939 §7) the service later
 * verifies against (`GreetingSent.challenge`). Loads no DI container, logger or database.
 */
import { hostname } from 'node:os';
import { PLUGIN_API_VERSION, rawOptionValue, type Greeter } from '@pigeondeliver/core/early';
import { apopTimestamp } from './apop.js';
import { greetingLine } from './greeting-line.js';
import { oneLine, POP3_OPTIONS } from './pop3-options.js';

/** RFC 3206 SYS/TEMP: the service could not start (its configuration is at fault; the log says why). */
export const UNAVAILABLE_LINE = '-ERR [SYS/TEMP] Server configuration error, try again later.';

/** The greeter of login-pop3. */
const greeter: Greeter = {
  apiVersion: PLUGIN_API_VERSION,
  name: 'login-pop3',
  greet(lookup) {
    const challenge = rawOptionValue(lookup, POP3_OPTIONS.apop) ? apopTimestamp(hostname()) : undefined;
    return { line: greetingLine(oneLine(rawOptionValue(lookup, POP3_OPTIONS.greeting)), challenge), challenge, unavailable: UNAVAILABLE_LINE };
  },
};
export default greeter;

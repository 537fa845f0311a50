/**
 * @packageDocumentation
 * `@pigeondeliver/login-imap/greeting`: the IMAP greeting computed before the service is loaded
 * (docs/architecture.md "Greeting first"). A forker that launches one process per connection writes
 * it, loads the full service in the meantime and hands it `greeted`; the capability list comes from
 * the same {@link capabilityList} the service uses. Loads no DI container, logger or database.
 */
import { PLUGIN_API_VERSION, rawOptionValue, type Greeter } from '@pigeondeliver/core/early';
import { greetingSecurity } from '@pigeondeliver/login-common/greeting';
import { greetingLine } from './imap-capabilities.js';
import { IMAP_OPTIONS } from './imap-options.js';

/** RFC 5530 UNAVAILABLE: the service could not start (its configuration is at fault; the log says why). */
export const UNAVAILABLE_LINE = '* BYE [UNAVAILABLE] Server configuration error, try again later.';

/** The greeter of login-imap. */
const greeter: Greeter = {
  apiVersion: PLUGIN_API_VERSION,
  name: 'login-imap',
  greet(lookup, facts) {
    const line = greetingLine(greetingSecurity(lookup, facts), rawOptionValue(lookup, IMAP_OPTIONS.greeting));
    return { line, unavailable: UNAVAILABLE_LINE };
  },
};
export default greeter;

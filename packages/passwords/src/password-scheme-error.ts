/**
 * The one error this package throws for stored hashes it cannot use and schemes it does not know.
 */
import { InvalidDataError } from '@pigeondeliver/core';

/**
 * A stored password is unusable (unknown scheme, malformed hash, bad encoding) or a scheme cannot
 * generate/serve what was asked. Never means "wrong password" (that is a plain `false`), and the
 * message never holds the password or the stored hash: only the scheme, the reason and the user.
 *
 * Extends core's {@link InvalidDataError} (code `EINVALDATA`), so an authenticator treats it like any
 * other unusable row: a logged internal failure, never a success.
 */
export class PasswordSchemeError extends InvalidDataError {
  /**
   * @param scheme - The scheme name as written in the stored value or asked for (e.g. `SHA512-CRYPT`).
   * @param reason - What is wrong, without secrets.
   * @param user - The user the stored value belongs to, when the caller passed one.
   */
  constructor(
    readonly scheme: string,
    readonly reason: string,
    readonly user?: string,
  ) {
    super(`password scheme ${scheme || '(empty)'}: ${reason}${user === undefined ? '' : ` (user ${user})`}`);
  }
}

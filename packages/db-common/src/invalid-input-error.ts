import { PigeonError } from '@pigeondeliver/core';

/**
 * A caller passed a value the database layer refuses (bad login, negative uid, unknown field...).
 * The message names the field; it never contains a password.
 */
export class InvalidInputError extends PigeonError {
  constructor(message: string) {
    super('EINPUT', message);
  }
}

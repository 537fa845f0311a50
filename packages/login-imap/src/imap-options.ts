/** Options login-imap itself reads (prefix `imap_`). */
import { stringOption, type OptionSpec } from '@pigeondeliver/core/early';

/** The option specs, by field. */
export const IMAP_OPTIONS = {
  greeting: stringOption('imap_greeting', 'text of the IMAP greeting, followed by " ready."', 'PigeonDeliver'),
  idName: stringOption('imap_id_name', 'the "name" field of our reply to the ID command (RFC 2971); empty: reply NIL', 'PigeonDeliver'),
} satisfies Record<string, OptionSpec<unknown>>;

/** Settings of the IMAP login service. */
export interface ImapSettings {
  readonly greeting: string;
  readonly idName: string;
}

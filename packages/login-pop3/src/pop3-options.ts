/** Options login-pop3 itself reads (prefix `pop3_`). */
import { boolOption, stringOption, type OptionSpec, type ResolvedOptions } from '@pigeondeliver/core/early';

/** The option specs, by field. */
export const POP3_OPTIONS = {
  greeting: stringOption('pop3_greeting', 'text of the POP3 greeting, followed by " ready."', 'PigeonDeliver'),
  apop: boolOption(
    'pop3_apop',
    'offer APOP (RFC 1939 §7): the greeting carries a timestamp; works only for users whose stored password is reversible ({PLAIN}, {CLEAR})',
    false,
  ),
  implementation: stringOption('pop3_implementation', 'the IMPLEMENTATION capability in CAPA (RFC 2449 §6.9); empty: not advertised', ''),
} satisfies Record<string, OptionSpec<unknown>>;

/** Settings of the POP3 login service. */
export interface Pop3Settings {
  readonly greeting: string;
  /** APOP is offered (greeting timestamp, APOP command). */
  readonly apop: boolean;
  /** IMPLEMENTATION text; empty: not advertised. */
  readonly implementation: string;
}

/** Reads {@link Pop3Settings} from validated options. */
export function pop3SettingsFromOptions(options: ResolvedOptions): Pop3Settings {
  return {
    greeting: oneLine(options.get(POP3_OPTIONS.greeting)),
    apop: options.get(POP3_OPTIONS.apop),
    implementation: oneLine(options.get(POP3_OPTIONS.implementation)),
  };
}

/** Control characters would break the response framing: they become spaces. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f]/g, ' ').trim();
}

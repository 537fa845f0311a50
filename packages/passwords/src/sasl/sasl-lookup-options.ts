/**
 * Options shared by the SASL credential look-ups.
 */

/** How to read the stored value: as {@link verifyPassword} does. */
export interface SaslLookupOptions {
  /** Scheme for values without `{SCHEME}` (default `CRYPT`). */
  readonly defaultScheme?: string;
  /** Whose password this is, named in errors. */
  readonly user?: string;
}

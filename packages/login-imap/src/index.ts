/** @packageDocumentation IMAP pre-authentication state machine (RFC 9051/3501) */
export {};

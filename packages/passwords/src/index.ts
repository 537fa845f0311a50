/** @packageDocumentation Dovecot-compatible {SCHEME} password hashing and verification */
export {};

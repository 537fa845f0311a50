/** @packageDocumentation POP3 pre-authentication state machine (RFC 1939/2449) */
export {};

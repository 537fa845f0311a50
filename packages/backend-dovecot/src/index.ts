/** @packageDocumentation Start Dovecot imap/pop3 already authenticated, as the user, on the client socket */
export {};

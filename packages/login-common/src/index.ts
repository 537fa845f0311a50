/** @packageDocumentation What IMAP and POP3 logins share: line reader, TLS, SASL mechanisms, authenticator, penalty, routing */
export {};

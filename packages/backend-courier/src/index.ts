/** @packageDocumentation Start Courier imapd/pop3d already authenticated, as the user, on the client socket */
export {};

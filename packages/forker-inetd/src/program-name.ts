/** The program name, in messages and on every log line. */
export const PROGRAM = 'pd-forker-inetd';

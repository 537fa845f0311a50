/** @packageDocumentation pd-forker-stdio: one session on stdin/stdout */
export {};

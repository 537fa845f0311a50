/** @packageDocumentation pd-forker-inetd: run from inetd, nowait (one process per connection) and wait (accepting) modes */
export {};

/** @packageDocumentation pd-forker-postfix: a Postfix master(8) service from master.cf (status protocol, maxproc, max_use, max_idle, postlog logging) */
export {};

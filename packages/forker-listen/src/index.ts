/** @packageDocumentation pd-forker-listen: standalone daemon, also systemd socket activation */
export {};

/** A network endpoint as seen by the server: the client's or our own side of a connection. */
export interface Endpoint {
  /** IP address in its canonical textual form (IPv4-mapped IPv6 is unwrapped to IPv4). Empty when unknown. */
  readonly address: string;
  /** TCP port, 0 when unknown (stdio without a wrapper). */
  readonly port: number;
}

/** The endpoint used when nothing is known (for example stdio without a wrapper). */
export const UNKNOWN_ENDPOINT: Endpoint = Object.freeze({ address: '', port: 0 });

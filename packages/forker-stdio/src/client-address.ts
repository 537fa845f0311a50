/**
 * The client's address when a wrapper put it in the environment (docs/forker-protocols.md §4):
 * ucspi-tcp and GNU inetd (`TCPREMOTEIP`/`TCPREMOTEPORT`, `TCPLOCALIP`/`TCPLOCALPORT`), systemd
 * Accept=yes and CGI style (`REMOTE_ADDR`/`REMOTE_PORT`), socat (`SOCAT_PEERADDR`/`SOCAT_PEERPORT`,
 * `SOCAT_SOCKADDR`/`SOCAT_SOCKPORT`), OpenSSH (`SSH_CLIENT` = "ip port localport"). The first
 * complete source wins; a value that is not an IP address is ignored (never trusted).
 */
import { canonicalAddress, ipVersion, UNKNOWN_ENDPOINT, type Endpoint } from '@pigeondeliver/core/early';

/** What the environment says about both ends. */
export interface EnvironmentAddresses {
  readonly remote: Endpoint;
  readonly local: Endpoint;
  /** The variable the remote address came from, for the log; undefined when none. */
  readonly source?: string;
}

function endpoint(address: string | undefined, port: string | undefined): Endpoint | undefined {
  if (!address) return undefined;
  const a = canonicalAddress(address.trim());
  if (ipVersion(a) === 0) return undefined;
  const p = port !== undefined && /^\d{1,5}$/.test(port.trim()) && Number(port) <= 65535 ? Number(port) : 0;
  return { address: a, port: p };
}

/** Reads the addresses from `env`. */
export function addressesFromEnvironment(env: NodeJS.ProcessEnv): EnvironmentAddresses {
  const ssh = env.SSH_CLIENT?.trim().split(/\s+/);
  const sources: [string, Endpoint | undefined, Endpoint | undefined][] = [
    ['TCPREMOTEIP', endpoint(env.TCPREMOTEIP, env.TCPREMOTEPORT), endpoint(env.TCPLOCALIP, env.TCPLOCALPORT)],
    ['REMOTE_ADDR', endpoint(env.REMOTE_ADDR, env.REMOTE_PORT), endpoint(env.SERVER_ADDR, env.SERVER_PORT)],
    ['SOCAT_PEERADDR', endpoint(env.SOCAT_PEERADDR, env.SOCAT_PEERPORT), endpoint(env.SOCAT_SOCKADDR, env.SOCAT_SOCKPORT)],
    ['SSH_CLIENT', endpoint(ssh?.[0], ssh?.[1]), undefined],
  ];
  for (const [source, remote, local] of sources) {
    if (remote) return { remote, local: local ?? UNKNOWN_ENDPOINT, source };
  }
  return { remote: UNKNOWN_ENDPOINT, local: UNKNOWN_ENDPOINT };
}

/**
 * `net.isIP` without its cost at start-up: Node's IPv6 check compiles a very large regular expression
 * on first use (about 6 ms, measured on this project's machines), which sat on the greeting path of
 * every one-process-per-connection launch (trusted_networks is parsed before the greeting). IPv4 is
 * checked with a small pattern, IPv6 by the WHATWG URL parser (native code); the answers are those of
 * `net.isIP` for every form the tests cover, zone ids (`fe80::1%eth0`) included.
 */

const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const ZONE = /^[^%]+%[0-9A-Za-z._~-]+$/;

/** 4, 6, or 0 when `address` is not an IP address (same contract as `net.isIP`). */
export function ipVersion(address: string): 0 | 4 | 6 {
  if (IPV4.test(address)) return 4;
  if (!address.includes(':') || address.length > 100) return 0;
  let bare = address;
  if (address.includes('%')) {
    if (!ZONE.test(address)) return 0;
    bare = address.slice(0, address.indexOf('%'));
  }
  // The URL parser accepts exactly the bracketed IPv6 literals (RFC 4291 §2.2 text forms).
  if (!/^[0-9A-Fa-f:.]+$/.test(bare)) return 0;
  try {
    new URL(`http://[${bare}]/`);
    return 6;
  } catch {
    return 0;
  }
}

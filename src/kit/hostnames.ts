// What a host name in a configuration value is: a loopback name, an IP literal, a fully qualified domain
// name, or something harden cannot evaluate (a placeholder resolved at start-up).

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIpv4(host: string): boolean {
  return IPV4.test(host);
}

/** An IPv6 literal, bracketed or not (at least two colons, hex digits, an optional embedded IPv4 tail). */
export function isIpv6(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  return h.includes(':') && /^[0-9a-fA-F:.]+$/.test(h) && (h.match(/:/g)?.length ?? 0) >= 2;
}

export function isIpLiteral(host: string): boolean {
  return isIpv4(host) || isIpv6(host);
}

/** localhost (and names under it), 127.0.0.0/8, ::1. */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost') || h === 'localhost.localdomain') return true;
  if (isIpv4(h)) return h.startsWith('127.');
  const v6 = h.replace(/^\[(.*)\]$/, '$1');
  return isIpv6(v6) && /^(0{0,4}:){2,7}0{0,3}1$|^::1$/.test(v6);
}

/** A value resolved when the server starts: config-mapper $ref/$env/$sys/$secret, or a Carbon ${…} property. */
export function isPlaceholder(value: string): boolean {
  return /\$(ref|env|sys|secret)\{|\$\{/.test(value);
}

/**
 * Why `host` is not a fully qualified domain name fit for a certificate's subject alternative names, or
 * undefined when it is one: at least two labels of letters, digits and hyphens (no leading or trailing
 * hyphen, at most 63 characters each, 253 in all), a top-level label that is not all digits, no loopback name.
 */
export function fqdnProblem(host: string): string | undefined {
  const h = host.trim();
  if (!h) return 'is empty';
  if (isIpLiteral(h)) return 'is an IP address, not a host name (certificates and Strict hostname verification need a name)';
  if (isLoopback(h)) return 'is a loopback name, which no client outside this machine can use';
  if (h.length > 253) return 'is longer than 253 characters';
  const labels = h.split('.');
  if (labels.length < 2) return 'is a single label, not a fully qualified domain name (e.g. api.example.com)';
  for (const l of labels) {
    if (!/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l)) {
      return l === '' ? 'has an empty label (two dots in a row, or a leading or trailing dot)' : `has the label "${l}", which is not letters, digits and inner hyphens (at most 63)`;
    }
  }
  if (/^\d+$/.test(labels[labels.length - 1]!)) return 'ends in an all-digit label, which no top-level domain is';
  return undefined;
}

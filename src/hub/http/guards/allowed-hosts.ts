import { hostname, networkInterfaces } from 'node:os';
import { isLoopback } from './listen-address.js';

/** Addresses that mean "every interface". */
const WILDCARDS = new Set(['0.0.0.0', '::', '']);

/**
 * Which `Host` headers the hub answers (against DNS rebinding: a page whose own name
 * resolves to the hub's address reaches it with that name as its Host). `allowed`
 * (`http.allowedHosts`) replaces the default when given; `*` allows any. An entry with a
 * port matches that host and port, one without matches the host on any port. The
 * default is the addresses served: the loopback names on a loopback address; the
 * address itself and the host's name on another; every interface address, `localhost`
 * and the host's name on a wildcard. `http.publicUrl`'s host is always allowed.
 */
export function hostFilter(options: {
  readonly listenHost: string;
  readonly allowed: readonly string[];
  readonly publicUrl: string;
}): (host: string | undefined) => boolean {
  if (options.allowed.includes('*')) return () => true;
  const names = new Set<string>();
  const pairs = new Set<string>();
  const add = (entry: string) => {
    const parsed = parseHost(entry);
    if (parsed === undefined) return;
    if (parsed.port === '') names.add(parsed.name);
    else pairs.add(`${parsed.name} ${parsed.port}`);
  };
  if (options.allowed.length > 0) options.allowed.forEach(add);
  else defaultHosts(options.listenHost).forEach(add);
  if (options.publicUrl !== '') add(URL.canParse(options.publicUrl) ? new URL(options.publicUrl).host : '');
  // The same few Host values arrive again and again: each is judged once.
  const judged = new Map<string, boolean>();
  return (host) => {
    if (host === undefined) return true; // HTTP/1.0 without Host: no browser sends that
    const known = judged.get(host);
    if (known !== undefined) return known;
    const parsed = parseHost(host);
    const allowed =
      parsed !== undefined && (names.has(parsed.name) || pairs.has(`${parsed.name} ${parsed.port}`));
    if (judged.size >= 256) judged.clear(); // a client inventing names cannot grow it
    judged.set(host, allowed);
    return allowed;
  };
}

function defaultHosts(listenHost: string): string[] {
  const loopback = ['localhost', '127.0.0.1', '[::1]'];
  if (isLoopback(listenHost)) return [...loopback, bracketed(listenHost)];
  if (!WILDCARDS.has(listenHost)) return [bracketed(listenHost), hostname()];
  const addresses = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  return [...loopback, hostname(), ...addresses.map((a) => bracketed(a.address))];
}

/** An IPv6 address as a Host header writes it. */
function bracketed(address: string): string {
  return address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
}

/** A Host header's name (lower case, IPv6 in brackets) and port ('' when none), or undefined if malformed. */
function parseHost(host: string): { name: string; port: string } | undefined {
  if (host === '' || /[\s/?#@\\]/.test(host)) return undefined;
  if (!URL.canParse(`http://${host}`)) return undefined;
  const url = new URL(`http://${host}`);
  return { name: url.hostname.toLowerCase(), port: url.port };
}

/**
 * IPv4 addresses and CIDR ranges, parsed (never compared as strings): `192.0.2.0/0` is the whole
 * internet whatever its first octets say, `0.0.0.0/00` is `/0`, and `010.0.0.1` is refused
 * rather than read as octal by one tool and decimal by another.
 */

export interface Ipv4Range {
  /** The network address as a 32-bit number. */
  network: number;
  prefix: number;
  /** Number of addresses in the range. */
  size: number;
}

const octet = /^(0|[1-9]\d{0,2})$/;

/** The address as a 32-bit number, or undefined when it is not a dotted quad without leading zeros. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => octet.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

export type CidrParse = { ok: true; range: Ipv4Range; /** The address written, when it is not the network address (host bits set). */ hostAddress?: string } | { ok: false; why: string };

/** Parses `a.b.c.d/n` strictly: four numbers without leading zeros, a prefix of 0–32 without leading zeros. */
export function parseCidr(text: string): CidrParse {
  const [ip, prefixText, ...rest] = text.split("/");
  if (rest.length > 0 || prefixText === undefined) return { ok: false, why: "expected an IPv4 CIDR such as 192.168.1.0/24" };
  const address = parseIpv4(ip!);
  if (address === undefined) return { ok: false, why: `"${ip}" is not an IPv4 address (four numbers 0–255, no leading zeros)` };
  if (!/^(0|[1-9]\d?)$/.test(prefixText) || Number(prefixText) > 32) return { ok: false, why: `prefix "/${prefixText}" is not a number from 0 to 32 without leading zeros` };
  const prefix = Number(prefixText);
  const size = 2 ** (32 - prefix);
  const network = Math.floor(address / size) * size;
  return { ok: true, range: { network, prefix, size }, ...(network !== address ? { hostAddress: ip } : {}) };
}

export function rangeOf(cidr: string): Ipv4Range {
  const parsed = parseCidr(cidr);
  if (!parsed.ok) throw new Error(`not a CIDR: ${cidr}`);
  return parsed.range;
}

export function formatRange(range: Ipv4Range): string {
  return `${formatIpv4(range.network)}/${range.prefix}`;
}

/** Whether `inner` (a range or an address) lies inside `outer`. */
export function rangeContains(outer: Ipv4Range, inner: Ipv4Range | number): boolean {
  const start = typeof inner === "number" ? inner : inner.network;
  const end = typeof inner === "number" ? inner : inner.network + inner.size - 1;
  return start >= outer.network && end <= outer.network + outer.size - 1;
}

export function rangesOverlap(a: Ipv4Range, b: Ipv4Range): boolean {
  return a.network <= b.network + b.size - 1 && b.network <= a.network + a.size - 1;
}

/**
 * Ranges a home network or a VCN may use: private (RFC 1918), shared (RFC 6598) and the
 * documentation ranges (RFC 5737) the example stack files use. Anything else is on the internet.
 */
const nonPublic: readonly { cidr: string; name: string }[] = [
  { cidr: "10.0.0.0/8", name: "RFC 1918" },
  { cidr: "172.16.0.0/12", name: "RFC 1918" },
  { cidr: "192.168.0.0/16", name: "RFC 1918" },
  { cidr: "100.64.0.0/10", name: "RFC 6598" },
  { cidr: "192.0.2.0/24", name: "RFC 5737" },
  { cidr: "198.51.100.0/24", name: "RFC 5737" },
  { cidr: "203.0.113.0/24", name: "RFC 5737" },
];

export function isNonPublic(range: Ipv4Range): boolean {
  return nonPublic.some((n) => rangeContains(rangeOf(n.cidr), range));
}

export const nonPublicRanges = nonPublic.map((n) => n.cidr);

/**
 * Ranges a home LAN may use: the non-public ones without RFC 6598's 100.64.0.0/10, which is
 * Twingate's (its clients' virtual addresses): the CLOUD nodes reach the home LAN through
 * Twingate, so a home address there would route back into the tunnel.
 */
export const homeLanRanges = nonPublic.filter((n) => n.name !== "RFC 6598").map((n) => n.cidr);

/** Whether a range or an address lies inside one of the home LAN ranges. */
export function isHomeLan(inner: Ipv4Range | number): boolean {
  return homeLanRanges.some((cidr) => rangeContains(rangeOf(cidr), inner));
}

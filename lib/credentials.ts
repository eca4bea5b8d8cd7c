/**
 * Values that are credentials by their look, whatever key holds them: private keys, tokens with a
 * known shape, passwords inside URLs and inline assignments, and (where the key says nothing, or
 * the content is free-form) long high-entropy strings. Identifiers an admin needs to fix a
 * mistake — OCIDs, account and zone ids, UUIDs, public keys, fingerprints, digests — are never
 * taken for credentials. The config check, the plan's output and the no-plaintext-secrets policy
 * share these rules, so that what one hides the others refuse.
 */
import { secretLikeName } from "./secret-names";

/** Credentials recognised by their content, with the words an error line uses for each (never the value). */
export const credentialShapes: readonly { pattern: RegExp; what: string }[] = [
  { pattern: /-----BEGIN ((RSA|EC|OPENSSH|DSA|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----/, what: "a private key" },
  // The body of a pasted key without its header lines: "openssh-key-v1" and base64 of "-----BEGIN".
  { pattern: /b3BlbnNzaC1rZXktdjE|LS0tLS1CRUdJTi[A-Za-z0-9+/]{0,40}(UFJJVkFURSBLRV|BSSVZBVEUgS0VZ|QUklWQVRFIEtFW)/, what: "a private key" },
  { pattern: /PuTTY-User-Key-File-\d/, what: "a private key" },
  { pattern: /\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}\b|\bgithub_pat_[A-Za-z0-9_]{40,}\b/, what: "a GitHub token" },
  { pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/, what: "a GitLab token" },
  { pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/, what: "a Slack token" },
  { pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/, what: "an access key id" },
  { pattern: /\bAIza[0-9A-Za-z_-]{35}\b/, what: "a Google API key" },
  { pattern: /\b[sr]k_(live|test)_[A-Za-z0-9]{16,}\b/, what: "a Stripe key" },
  { pattern: /\bsk-(proj-|ant-)?[A-Za-z0-9_-]{20,}\b/, what: "an API key" },
  { pattern: /\bnpm_[A-Za-z0-9]{36}\b/, what: "an npm token" },
  { pattern: /\bpul-[a-f0-9]{40}\b/, what: "a Pulumi access token" },
  { pattern: /\btskey-[a-z]+-[A-Za-z0-9-]{10,}\b/, what: "a Tailscale key" },
  { pattern: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}\b/, what: "a SendGrid key" },
  { pattern: /\b\d{8,10}:[A-Za-z0-9_-]{35}\b/, what: "a Telegram bot token" },
  { pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, what: "a JSON web token" },
  { pattern: /\b0\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[A-Za-z0-9]{10,}:[A-Za-z0-9+/=]{10,}/, what: "a Bitwarden access token" },
  { pattern: /[\w.-]{1,64}@[\w.-]{1,64}![\w.-]{1,64}=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, what: "a Proxmox API token" },
  { pattern: /\b[a-z][a-z0-9+.-]{0,20}:\/\/[^\s/:@]{1,256}:[^\s/@]{1,256}@/i, what: "a password in a URL" },
  // The same without a scheme: an SSH or rsync target, user:password@host (the user stays visible).
  { pattern: /(?:^|[\s"'=])[A-Za-z0-9._-]{1,64}:[^\s/:@"']{1,256}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,10}(?=[:/\s]|$)/, what: "a password in a URL" },
  { pattern: /(?:^|[\s;&,?])[A-Za-z0-9_]{0,40}(?:password|passwd|secret|token|api_?key)[A-Za-z0-9_]{0,40}\s{0,4}[=:]\s{0,4}(?![$!{]|\s|$|""|'')\S{4}/i, what: "an inline password or token" },
];

/** Identifiers that look random but are not secrets: an admin needs to see them to fix a typo. */
const identifierShapes: readonly RegExp[] = [
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, // UUID (Omni machine, Bitwarden ids)
  /^ocid1\.[a-z0-9]+\.[a-z0-9-]+\.[a-z0-9-]*\.[a-z0-9]+$/, // OCI resource id
  /^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/=]+( .*)?$/, // OpenSSH public key line
  /^-----BEGIN (CERTIFICATE|PUBLIC KEY|SSH2 PUBLIC KEY)-----/, // public PEM
  /^([0-9a-f]{2}:){15,31}[0-9a-f]{2}$/i, // key fingerprint
  /^(sha256|sha512):[0-9a-f]{64,128}$/, // content digest
  /^[a-z0-9.-]+(\/[a-z0-9._-]+)+(:[A-Za-z0-9._-]+)?(@sha256:[0-9a-f]{64})?$/, // image reference
  /^v?\d+(\.\d+){1,3}([-+][0-9A-Za-z.-]{1,20})?$/, // version
];

/** Keys whose 32-hex values are identifiers (Cloudflare account and zone ids). */
const identifierKey = /(id|ids)$/i;
/** Keys that hold public material by name. */
const publicKey = /(public[-_]?key|pubkey|crt|cert|certificate|fingerprint|ca)$/i;
/** A looser reading of secret-like names, for keys the program does not know (misspelt `apiTokn`, `adminPasword`). */
const secretishName = /(pass|pas+w|pw|secret|tok|api[-_]?k|priv|cred|bearer|session|cookie|salt|(^|[-_.:])(key|auth)$|[a-z](Key|Auth)$)/i;

export interface CredentialContext {
  /** The last segment of the key or path holding the value. */
  key?: string;
  /**
   * Free-form content or a key the program does not know: then a misspelt secret-like name and a
   * long high-entropy string count as credentials too.
   */
  unknown?: boolean;
  /**
   * A value its own field refused (a token pasted into an id, a password into a name): its key
   * says nothing about it, so a long high-entropy string or a password-shaped word counts as a
   * credential, but the key's name does not (a misspelt Bitwarden key name is still shown).
   */
  refused?: boolean;
}

export function isIdentifier(value: string, key = ""): boolean {
  const text = value.trim();
  if (identifierShapes.some((p) => p.test(text))) return true;
  return /^[0-9a-f]{32}$/.test(text) && identifierKey.test(key);
}

/** Shannon entropy in bits per character. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

/** A token that looks generated: long, mixed upper/lower/digits (base64, base62), or long hex. */
function looksGenerated(token: string, key: string): boolean {
  if (isIdentifier(token, key)) return false;
  if (/^[0-9a-f]{40,}$/i.test(token) || (/^[0-9a-f]{32,}$/i.test(token) && !identifierKey.test(key))) return true;
  if (token.length < 20 || !/^[A-Za-z0-9+/=_.~-]+$/.test(token)) return false;
  return /[a-z]/.test(token) && /[A-Z]/.test(token) && /\d/.test(token) && entropy(token) >= 3.5;
}

/**
 * What a value its field refused may be, judged without its key: a piece of 20+ base62/base64url
 * characters mixing cases and digits with few '-'/'_' (a token; paths and dotted names are split,
 * names joined by '-'/'_' such as a disk's by-id name and hex ids are left alone, so a mistyped
 * disk path or Cloudflare id stays visible), or a word of 12+ characters
 * mixing cases, digits and punctuation other than a name's . - _ / : @ (a password).
 */
function refusedCredential(text: string): string | undefined {
  const pieces = text.split(/[\s"'`,;()[\]{}<>|/.:@]+/);
  const separators = (p: string) => p.replace(/[^_-]/g, "").length;
  if (pieces.some((p) => p.length >= 20 && separators(p) <= p.length / 16 && /^[A-Za-z0-9+=_~-]+$/.test(p) && /[a-z]/.test(p) && /[A-Z]/.test(p) && /\d/.test(p) && entropy(p) >= 3.5)) {
    return "a high-entropy string (a token or key)";
  }
  const password = (w: string) => w.length >= 12 && w.length <= 128 && /[a-z]/.test(w) && /[A-Z]/.test(w) && /\d/.test(w) && /[^A-Za-z0-9._\-/:@]/.test(w);
  return text.split(/\s+/).some(password) ? "a password" : undefined;
}

/** What credential `value` looks like ("a private key", …), or undefined. Never returns the value. */
export function credentialKind(value: string, context: CredentialContext = {}): string | undefined {
  const key = context.key ?? "";
  const text = value.trim();
  if (text === "") return undefined;
  for (const { pattern, what } of credentialShapes) if (pattern.test(text)) return what;
  if (publicKey.test(key)) return undefined;
  if (secretLikeName.test(key) || (context.unknown && secretishName.test(key))) return "a secret (by its key's name)";
  if (isIdentifier(text, key)) return undefined;
  if (context.unknown && text.split(/[\s"'`,;()[\]{}<>|]+/).some((token) => looksGenerated(token, key))) return "a high-entropy string (a token or key)";
  return context.refused ? refusedCredential(text) : undefined;
}

/** Every credential string inside a value (strings of objects and arrays, keyed by their path's last segment). */
export function credentialsIn(value: unknown, context: CredentialContext = {}): string[] {
  const found: string[] = [];
  const visit = (v: unknown, key: string) => {
    if (typeof v === "string") {
      if (credentialKind(v, { ...context, key }) !== undefined) found.push(v);
    } else if (Array.isArray(v)) v.forEach((item) => visit(item, key));
    else if (v !== null && typeof v === "object") for (const [k, item] of Object.entries(v)) visit(item, k);
  };
  visit(value, context.key ?? "");
  return found;
}

/** Where the credential strings inside a value are (path segments below the value), with what each looks like. */
export function credentialPaths(value: unknown, context: CredentialContext = {}): { path: (string | number)[]; what: string }[] {
  const found: { path: (string | number)[]; what: string }[] = [];
  const visit = (v: unknown, path: (string | number)[], key: string) => {
    if (typeof v === "string") {
      const what = credentialKind(v, { ...context, key });
      if (what) found.push({ path, what });
    } else if (Array.isArray(v)) v.forEach((item, i) => visit(item, [...path, i], key));
    else if (v !== null && typeof v === "object") for (const [k, item] of Object.entries(v)) visit(item, [...path, k], k);
  };
  visit(value, [], context.key ?? "");
  return found;
}

/**
 * A function that replaces every occurrence of the given credentials in a text: each whole value
 * and, for a multi-line value such as a pasted key, each of its lines long enough to identify it.
 */
export function credentialRedactor(credentials: readonly string[]): (text: string) => string {
  const needles = new Set<string>();
  for (const c of credentials) {
    if (c.trim().length >= 4) needles.add(c);
    for (const line of c.split(/\r?\n/)) if (line.trim().length >= 12) needles.add(line.trim());
    // The password of a URL on its own.
    for (const m of c.matchAll(/(?:^|[\s/"'=])[^\s/:@"']{1,256}:([^\s/@"']{1,256})@/g)) if (m[1]!.length >= 4) needles.add(m[1]!);
  }
  const ordered = [...needles].sort((a, b) => b.length - a.length);
  return (text) => {
    let result = text;
    for (const needle of ordered) if (result.includes(needle)) result = result.split(needle).join("[hidden]");
    return result;
  };
}

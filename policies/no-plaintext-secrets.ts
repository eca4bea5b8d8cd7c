/** no-plaintext-secrets: secrets reach resources only as Pulumi secrets; credentials never appear in clear text. */
import { secretPlaceholder } from "../lib/markers";
import { credentialShapes } from "../lib/credentials";
import { secretLikeName } from "../lib/secret-names";
import { providerTypePrefix, types } from "./types";
import { violationsOf, walk, type HomelabPolicy } from "./view";

/** Keys that name a secret held elsewhere (Helm's `existingSecret`, `configSecret`), not the secret itself. */
const referenceKeyPattern = /^(existing|use|create|enable|config)|(SecretName|SecretRef)$/i;
/**
 * Values that point at a secret instead of holding one: Grafana's `$__file{…}`/`$__env{…}`,
 * ArgoCD's `$secret:key`, and an ExternalSecret template's `{{ .key }}` (filled from Bitwarden in
 * the cluster, optionally through template functions).
 */
const referenceValuePattern = /^(\$__(file|env)\{[^}]+\}|\$[a-z0-9][a-z0-9.-]*:[A-Za-z0-9_.-]+|\{\{\s*\.[A-Za-z][A-Za-z0-9_]*(\s*\|[^{}]*)?\s*\}\})$/;
/** Names of environment variables (or Compose/Kubernetes env entries) that hold secrets. */
const secretEnvName = /(PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|APIKEY|PRIVATE_KEY|SECRET_KEY)$/i;
/** Material that is a credential by its look, whatever the key: the same shapes the config check refuses (lib/credentials.ts). */
const credentialContent = credentialShapes.filter((shape) => shape.what !== "an inline password or token");
/** An inline assignment of a secret in a document (env file, script, YAML), not a reference. */
const inlineSecretAssignment = /^\s*(?:export\s+|-\s+)?([A-Z0-9_]*(?:PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|PRIVATE_KEY))\s*[=:]\s*(?!\s*(?:\$|!Env|file:\/\/|""|''|$|\[secret\]))(\S+)/m;

/** Where a secret is expected and legitimate: provider credentials and explicit secret sinks. */
function isSecretSink(type: string, path: readonly string[]): boolean {
  if (type.startsWith(providerTypePrefix)) return true;
  const top = path[0];
  if ((type === types.commandRemote || type === types.commandCopyToRemote) && top === "connection") return true;
  if (type === types.ociInstance && top === "metadata") return true;
  if (type === types.kubernetesSecret && (top === "data" || top === "stringData")) return true;
  return false;
}

export const noPlaintextSecrets: HomelabPolicy = {
  name: "no-plaintext-secrets",
  description:
    "No secret-like value in plain resource inputs or stack outputs: passwords, tokens and keys reach resources only as Pulumi secrets, and credentials never appear in clear text outside a secret sink.",
  enforcementLevel: "mandatory",
  check(resources, context) {
    const { found, report } = violationsOf(this);
    for (const r of resources) {
      walk(r.props, [], (value, path) => {
        if (value === secretPlaceholder) return;
        const where = path.length === 0 ? "(root)" : path.join(".");
        const sink = isSecretSink(r.type, path);
        const key = path[path.length - 1] ?? "";
        if (context.secretsVisible) {
          if (typeof value === "string" && value !== "" && secretLikeName.test(key) && !referenceKeyPattern.test(key) && !referenceValuePattern.test(value)) {
            report(r.name, `${where} holds a plain value under a secret-like key; pass it as a Pulumi secret (config --secret, pulumi.secret())`);
            return;
          }
          if (value !== null && typeof value === "object" && !Array.isArray(value)) {
            const entry = value as Record<string, unknown>;
            if (typeof entry.name === "string" && secretEnvName.test(entry.name) && typeof entry.value === "string" && entry.value !== "" && entry.value !== secretPlaceholder) {
              report(r.name, `${where} sets ${entry.name} in plain text; use valueFrom a Secret or a Pulumi secret`);
            }
          }
        }
        if (typeof value !== "string" || (sink && !context.secretsVisible)) return;
        for (const { pattern, what } of credentialContent) {
          if (pattern.test(value)) report(r.name, `${where} contains ${what} in clear text`);
        }
        const inline = inlineSecretAssignment.exec(value);
        if (inline) report(r.name, `${where} assigns ${inline[1]} inline in a plain document; reference it (env var, !Env, file) or make the document a secret`);
      });
    }
    return found;
  },
};

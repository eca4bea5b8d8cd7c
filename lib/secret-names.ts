/**
 * Names that say they hold a secret: config keys (`homelab:postgresPassword`) and resource
 * properties (`tunnelSecret`, `api_key`). One pattern, so the config loader and the
 * no-plaintext-secrets policy agree on what a secret looks like.
 */
export const secretLikeName = /(password|passwd|secret|token|api[-_]?key|private[-_]?key|credentials?|join[-_]?material)$/i;

/**
 * Where each upstream schema comes from, pinned by commit (see `schemas.lock.json` for the
 * sha256 of every file). The files are never copied into this repository: they are read from
 * HOMELAB_SCHEMAS_DIR, or fetched into `.schemas-cache/` by `npm run schemas:fetch`.
 */
export interface SchemaSource {
  /** Local path prefix inside the schema directory. */
  prefix: string;
  /** URL of the file at the pinned commit, from its path relative to `prefix`. */
  url(relative: string): string;
  /** Set when the upstream file is not the JSON itself and needs a conversion step. */
  derived?: string;
}

const raw = (repo: string, commit: string, path: string) => `https://raw.githubusercontent.com/${repo}/${commit}/${path}`;

/** A chart's values schema or its own values.yaml (`<chart>-<version>.values.schema.json|.values.yaml`), beside each other upstream. */
const chartFile = (repo: string, commit: string, dir: string) => (rel: string) => raw(repo, commit, `${dir}/${rel.endsWith(".values.yaml") ? "values.yaml" : "values.schema.json"}`);

export const schemaSources: readonly SchemaSource[] = [
  { prefix: "crds/", url: (rel) => raw("datreeio/CRDs-catalog", "7b1e26ef9deea49293714d204c1a2270aab1178f", rel) },
  {
    prefix: "talos/v1.9/",
    url: (rel) => raw("siderolabs/talos", "d6f6e92b1f7fe7e8ea4dd0b0e8a37a567248b68f", `website/content/v1.9/schemas/${rel}`),
  },
  { prefix: "compose/", url: () => raw("compose-spec/compose-spec", "170098ba07d9f53c383a41bfd4c5166b0a4529a6", "schema/compose-spec.json") },
  {
    prefix: "helm/cert-manager-",
    url: chartFile("cert-manager/cert-manager", "24e33194fb39488eff2bbf10c6dc640f407cad44", "deploy/charts/cert-manager"),
  },
  {
    prefix: "helm/external-secrets-",
    url: chartFile("external-secrets/external-secrets", "378bdb622ed9712ef4a58370f6a17af033b7d343", "deploy/charts/external-secrets"),
  },
  {
    prefix: "helm/external-dns-",
    url: chartFile("kubernetes-sigs/external-dns", "9f26451346774099a8b3e3e5cc46a53bf2fd1461", "charts/external-dns"),
  },
  {
    prefix: "helm/velero-",
    url: chartFile("vmware-tanzu/helm-charts", "73466ca986bbfe34dbd5c30bbf7d62d545d634a2", "charts/velero"),
  },
  {
    prefix: "helm/bjw-s-common-4.1.1/",
    url: (rel) => {
      const commit = "dfaf83d12a36d53bf9cf422b99ba5d38d8e8ec24";
      if (rel === "app-template-4.1.1.values.schema.json") return raw("bjw-s-labs/helm-charts", commit, "charts/other/app-template/values.schema.json");
      return raw("bjw-s-labs/helm-charts", commit, `charts/library/common/${rel}`);
    },
  },
  { prefix: "helm/cloudnative-pg-", url: chartFile("cloudnative-pg/charts", "e66ee1435d1b8a1aac07be106cfafebb9d2afd4c", "charts/cloudnative-pg") },
  // The Twingate repository has no tags; the last commit at chart version 0.1.31.
  { prefix: "helm/twingate-connector-", url: chartFile("Twingate/helm-charts", "982112425f2bc4e7bc8b5f16047b61d6cddefcbf", "stable/connector") },
  // The chart archive helm.cilium.io serves (cilium/charts keeps the same bytes, sha256 5c92288f…0f588).
  {
    prefix: "helm/cilium-",
    url: () => raw("cilium/charts", "f7c721a82d0e5fd9a37faa7277f08c7936844af2", "cilium-1.17.3.tgz"),
    derived: "cilium/values.schema.json or cilium/values.yaml inside the chart archive",
  },
  { prefix: "authentik/blueprint-2025.2.4", url: () => raw("goauthentik/authentik", "74eab55c615b156e4191ee98dc789e2d58c016f9", "blueprints/schema.json") },
  {
    prefix: "proxmox/",
    url: () => raw("proxmox/pve-docs", "e5010dcea566a205770572cfbc5fe0af220d5077", "api-viewer/apidata.js"),
    derived: "the `apiSchema` array of apidata.js, as JSON",
  },
  {
    prefix: "schemastore/",
    url: (rel) => raw("SchemaStore/schemastore", "3b6446ad8a077bac56f4a4796c0b7fd88927fc8e", `src/schemas/json/${rel}`),
  },
];

export function sourceOf(path: string): { url: string; derived?: string } {
  const source = schemaSources.find((s) => path.startsWith(s.prefix));
  if (!source) throw new Error(`schema "${path}" has no pinned upstream source in lib/validate/schema-sources.ts`);
  return { url: source.url(path.slice(source.prefix.length)), ...(source.derived ? { derived: source.derived } : {}) };
}

/** admin-group-restriction: every exposed app carries its tier, admin apps only for the admin group (story 3.3.3). */
import { apps as catalogApps } from "../lib/catalog";
import { tierBindingProblems } from "../lib/catalog/checks";
import type { AppRecord, Tier } from "../lib/catalog/types";
import { parseBlueprint } from "../lib/identity/blueprint-yaml";
import { blueprintProblems } from "../lib/identity/checks";
import { exceptionNamed } from "../lib/ingress-exceptions";
import { parseAppComment, projectMetadataKey, secretPlaceholder } from "../lib/markers";
import { untarGzip } from "../lib/tar";
import { types } from "./types";
import { get, list, str, violationsOf, type HomelabPolicy, type PolicyResourceView } from "./view";

const tiers = new Set(["admin", "family", "public"]);

/**
 * The Authentik blueprints a management VM will apply, read back from its project metadata
 * (base64 tar.gz, see components/management-vm), checked for bindings and invitation-only enrollment.
 */
function deployedBlueprintProblems(instance: PolicyResourceView, apps: readonly AppRecord[]): string[] {
  const metadata = get(instance.props, "metadata");
  const project = metadata !== null && typeof metadata === "object" ? str((metadata as Record<string, unknown>)[projectMetadataKey]) : undefined;
  if (!project || project === secretPlaceholder) return [];
  let files;
  try {
    files = untarGzip(Buffer.from(project, "base64"));
  } catch (error) {
    return [`the project metadata "${projectMetadataKey}" is not a readable tar.gz (${(error as Error).message})`];
  }
  return files
    .filter((f) => /^authentik\/blueprints\/[^/]+\.yaml$/.test(f.path))
    .flatMap((f) => {
      try {
        return blueprintProblems(parseBlueprint(f.content), f.path, apps);
      } catch (error) {
        return [`${f.path} is not a readable blueprint (${(error as Error).message})`];
      }
    });
}

export const adminGroupRestriction: HomelabPolicy = {
  name: "admin-group-restriction",
  description:
    "Every exposed app has a tier; admin apps are reachable only by the admin group (and sit behind Cloudflare Access), family apps only by family groups, nothing is bound to everyone.",
  enforcementLevel: "mandatory",
  check(resources, context) {
    const { found, report } = violationsOf(this);
    const accessDomains = new Set(
      resources
        .filter((r) => r.type === types.cloudflareAccessApplication && list(r.props.policies).length > 0)
        .map((r) => str(r.props.domain))
        .filter((d): d is string => d !== undefined),
    );
    const knownHostnames = new Set<string>();
    for (const r of resources.filter((res) => res.type === types.cloudflareDnsRecord && ["CNAME", "A", "AAAA"].includes(str(res.props.type) ?? ""))) {
      const hostname = str(r.props.name) ?? r.name;
      const tunnelled = str(r.props.type) === "CNAME";
      if (tunnelled) knownHostnames.add(hostname);
      const app = parseAppComment(str(r.props.comment));
      // Records to an origin are no-public-ingress's to allow or refuse; here they need a tier too.
      if (!tunnelled && !app?.exception) continue;
      if (!app) {
        report(r.name, `hostname "${hostname}" carries no app identity (comment "homelab:app=…;tier=…;groups=…"); every exposed app comes from the catalog`);
        continue;
      }
      if (!app.tier || !tiers.has(app.tier)) {
        report(r.name, `app "${app.app}" has no valid tier (got "${app.tier ?? ""}"); expected admin, family or public`);
        continue;
      }
      for (const problem of tierBindingProblems(app.tier as Tier, app.groups)) report(r.name, `app "${app.app}" ${problem}`);
      // Machine endpoints (Omni SideroLink, the Kubernetes proxy) authenticate in the app with a
      // join token or service-account key; Access would lock the machines out. Only admin-tier
      // entries may say so, so no family or public app can slip out from behind Access this way.
      if (app.machines && app.tier !== "admin") {
        report(r.name, `app "${app.app}" at ${hostname} claims clients=machines but is tier "${app.tier}"; only admin machine endpoints skip Access`);
      }
      // A named ingress exception is DNS-only, where Access cannot stand: the app's own sign-in
      // guards it (Omni: SAML through Authentik and signed gRPC requests). Only admin apps may.
      const direct = app.exception !== undefined && exceptionNamed(app.exception)?.app === app.app;
      if (direct && app.tier !== "admin") report(r.name, `app "${app.app}" at ${hostname} is reached through ingress exception "${app.exception}" but is tier "${app.tier}"; only admin apps with their own sign-in may skip Access`);
      if (app.tier === "admin" && !app.machines && !direct && !accessDomains.has(hostname)) {
        report(r.name, `admin app "${app.app}" at ${hostname} has no Cloudflare Access application with a policy in front of it`);
      }
    }
    for (const r of resources.filter((res) => res.type === types.ociInstance)) {
      for (const problem of deployedBlueprintProblems(r, context.apps ?? catalogApps)) report(r.name, problem);
    }
    for (const r of resources.filter((res) => res.type === types.cloudflareTunnelConfig)) {
      for (const ingress of list(get(r.props, "config.ingresses"))) {
        const hostname = str(get(ingress, "hostname"));
        if (hostname && !knownHostnames.has(hostname)) {
          report(r.name, `tunnel route "${hostname}" has no catalog DNS record (and so no tier); add the app to the catalog (lib/catalog/apps) instead of routing by hand`);
        }
      }
    }
    return found;
  },
};

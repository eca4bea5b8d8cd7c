/**
 * Talos settings that only work with a companion: the kubelet's `rotate-server-certificates` needs
 * an approver of its CSRs (Talos v1.9 "Deploying Metrics Server": "We will want to ensure that new
 * certificates for the kubelets are approved automatically"), and every manifest Talos applies at
 * bootstrap is pinned to a release (a `main` or `latest` URL changes under a running cluster).
 */
import type { NamedPatch } from "./patches";

const pinnedApprover = /^https:\/\/raw\.githubusercontent\.com\/alex1989hu\/kubelet-serving-cert-approver\/v\d+\.\d+\.\d+\//;
const floating = /\/(main|master|latest|HEAD)\/|\/releases\/latest\//;

export function patchCompanionProblems(patches: readonly NamedPatch[]): string[] {
  const problems: string[] = [];
  const manifests = patches.flatMap((p) => ((p.patch.cluster?.extraManifests as string[] | undefined) ?? []).map((url) => ({ patch: p.name, url })));
  const rotates = patches.filter((p) => String((p.patch.machine?.kubelet as { extraArgs?: Record<string, string> } | undefined)?.extraArgs?.["rotate-server-certificates"]) === "true");
  for (const patch of rotates) {
    if (!manifests.some((m) => pinnedApprover.test(m.url))) {
      problems.push(`patch "${patch.name}" turns on rotate-server-certificates, but no patch applies kubelet-serving-cert-approver (cluster.extraManifests at a release tag): the kubelets' serving CSRs would stay Pending and kubectl logs/exec would fail`);
    }
  }
  for (const manifest of manifests.filter((m) => floating.test(m.url))) {
    problems.push(`patch "${manifest.patch}" applies ${manifest.url}, which follows a branch; pin a release tag`);
  }
  return problems;
}

/**
 * What the admin-group-restriction policy checks in the Authentik blueprints that are actually
 * deployed (read back from the management VM's project metadata): every application has a
 * binding, bindings match the catalog tier, and enrollment only works with an invitation.
 */
import { tierBindingProblems } from "../catalog/checks";
import type { AppRecord, GroupName } from "../catalog/types";
import { routeLabel } from "../routes";
import { BlueprintTag, type Blueprint, type BlueprintEntry } from "./blueprint-yaml";

function fieldsOf(entry: BlueprintEntry): Record<string, unknown> {
  return { ...(entry.attrs ?? {}), ...(entry.identifiers ?? {}) };
}

function keyOfId(value: unknown): string | undefined {
  return value instanceof BlueprintTag && value.name === "!KeyOf" ? String(value.value) : undefined;
}

/**
 * The catalog record an application slug stands for: the app itself, or one host of an app with
 * a provider per host (its slug is the host's first label, by the tunnel's hostname rule).
 */
export function catalogAppForSlug(slug: string, apps: readonly AppRecord[]): AppRecord | undefined {
  return (
    apps.find((a) => a.name === slug) ??
    apps.find((a) => {
      if (a.exposure.kind !== "tunnel" || a.placement.kind !== "cluster") return false;
      const { subdomain } = a.exposure;
      const locations = a.placement.clusters.filter((c) => c !== "dev");
      return locations.some((c) => routeLabel(subdomain, c, locations.length) === slug);
    })
  );
}

export function blueprintProblems(blueprint: Blueprint, where: string, apps: readonly AppRecord[]): string[] {
  const problems: string[] = [];
  const entries = blueprint.entries ?? [];
  const byId = new Map(entries.filter((e) => e.id).map((e) => [e.id!, e]));
  const groupName = (value: unknown): string | undefined => {
    const id = keyOfId(value);
    if (id) return fieldsOf(byId.get(id) ?? ({ attrs: {}, identifiers: {} } as unknown as BlueprintEntry)).name as string | undefined;
    if (value instanceof BlueprintTag && value.name === "!Find") {
      const [modelName, [field, name]] = value.value as [string, [string, string]];
      return modelName === "authentik_core.group" && field === "name" ? name : undefined;
    }
    return undefined;
  };
  const bindingsOf = (id: string | undefined) =>
    id === undefined ? [] : entries.filter((e) => e.model === "authentik_policies.policybinding" && keyOfId(fieldsOf(e).target) === id);

  for (const entry of entries.filter((e) => e.model === "authentik_core.application")) {
    const fields = fieldsOf(entry);
    const slug = String(fields.slug);
    const bindings = bindingsOf(entry.id);
    if (bindings.length === 0) {
      problems.push(`${where}: application "${slug}" has no policy binding, so every signed-in user could open it; bind it to its tier's groups in the catalog`);
      continue;
    }
    const app = catalogAppForSlug(slug, apps);
    if (!app) {
      problems.push(`${where}: application "${slug}" is not in the app catalog (lib/catalog/apps), so it has no tier`);
      continue;
    }
    const boundGroups = bindings.map((b) => groupName(fieldsOf(b).group)).filter((g): g is string => g !== undefined);
    for (const problem of tierBindingProblems(app.tier, boundGroups as GroupName[])) problems.push(`${where}: application "${slug}" ${problem}`);
  }

  for (const flow of entries.filter((e) => e.model === "authentik_flows.flow" && fieldsOf(e).designation === "enrollment")) {
    const slug = String(fieldsOf(flow).slug);
    const first = entries
      .filter((e) => e.model === "authentik_flows.flowstagebinding" && keyOfId(fieldsOf(e).target) === flow.id)
      .sort((a, b) => Number(fieldsOf(a).order) - Number(fieldsOf(b).order))[0];
    const stage = first ? byId.get(keyOfId(fieldsOf(first).stage) ?? "") : undefined;
    const invitationOnly = stage?.model === "authentik_stages_invitation.invitationstage" && fieldsOf(stage).continue_flow_without_invitation === false;
    if (!invitationOnly) {
      problems.push(`${where}: enrollment flow "${slug}" does not start with an invitation stage that stops without a valid invitation (continue_flow_without_invitation: false); anyone could register`);
    }
  }

  for (const stage of entries.filter((e) => e.model === "authentik_stages_identification.identificationstage")) {
    const enrollment = fieldsOf(stage).enrollment_flow;
    if (enrollment !== undefined && enrollment !== null) {
      problems.push(`${where}: identification stage "${String(fieldsOf(stage).name)}" links an enrollment flow, which offers self-registration on the login page`);
    }
  }
  return problems;
}

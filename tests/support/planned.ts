/**
 * Reading the planned resources the way an operator would read the cluster: an app's Application
 * values, its containers and env, the objects next to it (ExternalSecrets, ConfigMaps,
 * HTTPRoutes, databases), the tunnel's ingress rules, and the Authentik blueprint the management
 * VM really receives. Specs assert on these, never on the builders' internals.
 */
import { parseBlueprint, type Blueprint, type BlueprintEntry } from "../../lib/identity/blueprint";
import { BlueprintTag } from "../../lib/identity/blueprint-yaml";
import { untarGzip } from "../../lib/tar";
import type { StackPlan } from "../../tooling/plan/plan";
import type { PlannedResource } from "../../tooling/plan/run";

export type Cluster = "cloud" | "prod" | "dev";

export interface ContainerValues {
  image: { repository: string; tag: string };
  command?: string[];
  args?: string[];
  env?: Record<string, unknown>;
  envFrom?: { secretRef?: { name: string; optional?: boolean } }[];
  resources?: { requests?: { cpu?: string; memory?: string } };
  probes?: { readiness?: { enabled?: boolean; custom?: boolean; spec?: { exec?: { command: string[] } } } };
  securityContext?: { privileged?: boolean };
}

export interface PersistenceValues {
  type: string;
  name?: string;
  size?: string;
  readOnly?: boolean;
  globalMounts?: { path: string; readOnly?: boolean }[];
  advancedMounts?: Record<string, Record<string, { path: string; readOnly?: boolean }[]>>;
  defaultMode?: number;
}

export interface TemplateValues {
  defaultPodOptions?: { nodeSelector?: Record<string, string>; hostNetwork?: boolean; annotations?: Record<string, string> };
  controllers: Record<string, { replicas?: number; containers: Record<string, ContainerValues>; initContainers?: Record<string, ContainerValues> }>;
  service: Record<string, { controller: string; ports: Record<string, { port: number; targetPort?: number }>; publishNotReadyAddresses?: boolean }>;
  persistence?: Record<string, PersistenceValues>;
}

export const resourceNamed = (plan: StackPlan, name: string): PlannedResource | undefined => plan.resources.find((r) => r.name === name);
export const ofType = (plan: StackPlan, type: string): PlannedResource[] => plan.resources.filter((r) => r.type === type);

/** The Application of `app` on its cluster, as planned. */
export function application(plan: StackPlan, cluster: Cluster, app: string): PlannedResource {
  const found = resourceNamed(plan, `${cluster}-app-${app}`);
  if (!found) throw new Error(`no Application ${app} on ${cluster}`);
  return found;
}

/** The Helm values an Application hands its chart. */
export function valuesOf(plan: StackPlan, cluster: Cluster, app: string): Record<string, unknown> {
  return (application(plan, cluster, app).inputs as { spec: { source: { helm: { valuesObject: Record<string, unknown> } } } }).spec.source.helm.valuesObject;
}

export const templateValues = (plan: StackPlan, cluster: Cluster, app: string): TemplateValues => valuesOf(plan, cluster, app) as unknown as TemplateValues;

/** The app container's env: plain values as strings, Secret references as `secret:<name>/<key>`. */
export function envOf(container: ContainerValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(container.env ?? {})) {
    if (typeof value === "string") out[name] = value;
    else if (value && typeof value === "object" && "valueFrom" in value) {
      const ref = (value as { valueFrom: { secretKeyRef: { name: string; key: string } } }).valueFrom.secretKeyRef;
      out[name] = `secret:${ref.name}/${ref.key}`;
    } else if (value && typeof value === "object" && "value" in value) out[name] = String((value as { value: unknown }).value);
  }
  return out;
}

/** A platform object (`<cluster>-<id>`) as planned. */
export function objectNamed(plan: StackPlan, cluster: Cluster, id: string): Record<string, unknown> & { metadata: { name: string; namespace?: string } } {
  const found = resourceNamed(plan, `${cluster}-${id}`);
  if (!found) throw new Error(`no object ${cluster}-${id}`);
  return found.inputs as Record<string, unknown> & { metadata: { name: string; namespace?: string } };
}

/** Planned Kubernetes objects of a kind (custom resources and the platform's ConfigMaps). */
export function objectsOfKind(plan: StackPlan, kind: string): (Record<string, unknown> & { metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: unknown })[] {
  return plan.resources.filter((r) => (r.inputs as { kind?: string }).kind === kind).map((r) => r.inputs as never);
}

/** The tunnel's ingress rules of one location (cloud, prod, mgmt). */
export function tunnelIngresses(plan: StackPlan, location: "cloud" | "prod" | "mgmt"): { hostname?: string; path?: string; service: string }[] {
  const config = resourceNamed(plan, `homelab-${location}-config`);
  if (!config) throw new Error(`no tunnel config for ${location}`);
  return (config.inputs as { config: { ingresses: { hostname?: string; path?: string; service: string }[] } }).config.ingresses;
}

/** The Authentik blueprint as the management VM receives it (its project tarball in the instance metadata). */
export function deployedBlueprint(cloud: StackPlan): Blueprint {
  const vm = resourceNamed(cloud, "oci-mgmt")!.inputs as { metadata: Record<string, string> };
  const files = untarGzip(Buffer.from(vm.metadata["homelab-project"]!, "base64"));
  return parseBlueprint(files.find((f) => f.path === "authentik/blueprints/homelab.yaml")!.content);
}

export const fieldsOf = (entry: BlueprintEntry): Record<string, unknown> => ({ ...entry.attrs, ...entry.identifiers });
export const keyOf = (value: unknown): string | undefined => (value instanceof BlueprintTag && value.name === "!KeyOf" ? String(value.value) : undefined);

/** The groups an application of the blueprint is bound to. */
export function boundGroups(blueprint: Blueprint, applicationId: string): string[] {
  const byId = new Map(blueprint.entries.filter((e) => e.id).map((e) => [e.id!, e]));
  return blueprint.entries
    .filter((e) => e.model === "authentik_policies.policybinding" && keyOf(fieldsOf(e).target) === applicationId)
    .map((b) => String(fieldsOf(byId.get(keyOf(fieldsOf(b).group) ?? "")!).name))
    .sort();
}

/**
 * The offline plan of one stack: runs the real program under Pulumi mocks with the stack's
 * config, captures every resource (type, name, parent, inputs with secrets masked), resolves the
 * stack outputs, and hands the result to the policies and the budgets.
 */
import * as pulumi from "@pulumi/pulumi";
import * as runtimeSettings from "@pulumi/pulumi/runtime/settings";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { secretPlaceholder } from "../../lib/markers";
import type { RawConfig } from "../../lib/config";
import { PlanMocks, type StackReferenceAnswer } from "./mocks";

export const projectName = "homelab";

export interface PlannedResource {
  type: string;
  name: string;
  urn: string;
  /** URN of the parent resource (the stack resource for top-level components). */
  parent: string;
  custom: boolean;
  /** Inputs as sent to the provider, with every secret value replaced by "[secret]". */
  inputs: Record<string, unknown>;
  /** URNs of the resources named in `dependsOn`. */
  dependencies: string[];
}

export interface StackRun {
  stack: string;
  resources: PlannedResource[];
  /** Stack outputs, secrets masked. */
  outputs: Record<string, unknown>;
  /** Stack outputs in clear, for the StackReferences of the home stacks (never printed). */
  rawOutputs: Record<string, unknown>;
  secretOutputNames: string[];
}

const { waitForRPCs } = runtimeSettings as unknown as { waitForRPCs(): Promise<void> };

function isWrappedSecret(value: unknown): value is { value: unknown } {
  return value !== null && typeof value === "object" && (value as Record<string, unknown>)[rpc.specialSigKey] === rpc.specialSecretSig;
}

/** Replaces every secret value with the placeholder. */
export function sanitize(value: unknown): unknown {
  if (isWrappedSecret(value)) return secretPlaceholder;
  if (Array.isArray(value)) return value.map(sanitize);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sanitize(v)]));
  }
  return value;
}

function resolve<T>(value: pulumi.Input<T>): Promise<{ value: T; secret: boolean }> {
  const output = pulumi.output(value);
  return Promise.all([new Promise<T>((res) => output.apply((v) => res(v as T))), pulumi.isSecret(output)]).then(([v, secret]) => ({
    value: v,
    secret,
  }));
}

export interface RunOptions {
  stack: string;
  config: RawConfig;
  /** Fully qualified stack name → outputs, for `pulumi.StackReference`. */
  stackReferences?: Record<string, StackReferenceAnswer>;
  /** The program to run: the default export of index.ts. */
  program: () => Promise<Record<string, pulumi.Input<unknown>>>;
}

export async function runStack(options: RunOptions): Promise<StackRun> {
  // An error inside an apply (the home stacks' check of the cloud stack's join token) or in a
  // resource's inputs surfaces as an unhandled rejection, not as the program's own failure, and
  // the outputs that depend on it never settle: the first such error ends this stack's run, so
  // that the plan reports it instead of dying or waiting forever.
  let onRejection: (reason: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    onRejection = (reason) => reject(reason instanceof Error ? reason : new Error(String(reason)));
  });
  process.on("unhandledRejection", onRejection);
  try {
    const run = await Promise.race([runCollected(options), failed]);
    // A rejection raised by the last registrations arrives after the program's promises settle.
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.race([failed, Promise.resolve()]);
    return run;
  } finally {
    process.off("unhandledRejection", onRejection);
  }
}

async function runCollected(options: RunOptions): Promise<StackRun> {
  const mocks = new PlanMocks(options.stackReferences ?? {});
  await pulumi.runtime.setMocks(mocks, projectName, options.stack, false);
  const secretKeys = Object.entries(options.config).filter(([, e]) => e.secret).map(([k]) => k);
  pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(options.config).map(([k, e]) => [k, e.value])), secretKeys);

  const urnOf = (type: string, name: string) => `urn:pulumi:${options.stack}::${projectName}::${type}::${name}`;
  const parents = new Map<pulumi.Resource, string>();
  const parentOf = new Map<string, string>();
  const dependenciesOf = new Map<string, string[]>();
  const stackUrn = urnOf("pulumi:pulumi:Stack", `${projectName}-${options.stack}`);
  let programOutputs: Record<string, pulumi.Input<unknown>> = {};
  let failure: unknown;

  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      const urn = urnOf(args.type, args.name);
      if (parentOf.has(urn)) throw new Error(`two resources share type and name (${args.type} "${args.name}"); give one a distinct name`);
      parents.set(args.resource, urn);
      parentOf.set(urn, args.opts.parent ? (parents.get(args.opts.parent) ?? stackUrn) : stackUrn);
      const declared: unknown = args.opts.dependsOn;
      const list = Array.isArray(declared) ? (declared as unknown[]) : declared ? [declared] : [];
      dependenciesOf.set(urn, list.filter((d): d is pulumi.Resource => pulumi.Resource.isInstance(d)).map((d) => parents.get(d) ?? "(unknown)"));
      return undefined;
    });
    try {
      programOutputs = await options.program();
    } catch (error) {
      failure = error;
    }
    return {};
  });
  await waitForRPCs();
  if (failure) throw failure;

  const outputs: Record<string, unknown> = {};
  const rawOutputs: Record<string, unknown> = {};
  const secretOutputNames: string[] = [];
  for (const [key, value] of Object.entries(programOutputs)) {
    const resolved = await resolve(value);
    rawOutputs[key] = resolved.value;
    outputs[key] = resolved.secret ? secretPlaceholder : resolved.value;
    if (resolved.secret) secretOutputNames.push(key);
  }
  await waitForRPCs();

  const resources: PlannedResource[] = mocks.resources
    .filter((r) => r.type !== "pulumi:pulumi:Stack")
    .map((r) => ({
      type: r.type,
      name: r.name,
      urn: urnOf(r.type, r.name),
      parent: parentOf.get(urnOf(r.type, r.name)) ?? stackUrn,
      custom: r.custom,
      inputs: sanitize(r.inputs) as Record<string, unknown>,
      dependencies: dependenciesOf.get(urnOf(r.type, r.name)) ?? [],
    }));
  return { stack: options.stack, resources, outputs, rawOutputs, secretOutputNames };
}

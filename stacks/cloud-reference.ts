/** The home stacks' view of the cloud stack: its outputs through one StackReference, secret ones kept secret. */
import * as pulumi from "@pulumi/pulumi";
import { cloudOutputs, type CloudOutputName, type CloudOutputSpec } from "../lib/stack-outputs";

export type CloudReference = Record<CloudOutputName, pulumi.Output<unknown>>;

export function cloudReference(name: string): CloudReference {
  const ref = new pulumi.StackReference("cloud", { name });
  const read = {} as CloudReference;
  for (const [key, spec] of Object.entries(cloudOutputs) as [CloudOutputName, CloudOutputSpec][]) {
    const value = spec.optional ? ref.getOutput(key) : ref.requireOutput(key);
    read[key] = spec.secret ? pulumi.secret(value) : value;
  }
  return read;
}

/** The cloud stack's SideroLink kernel arguments, or a clear error when Omni's join token is not set yet. */
export function joinArguments(cloud: CloudReference, cloudStackName: string): pulumi.Output<string> {
  return cloud.siderolinkKernelArgs.apply((value) => {
    if (typeof value !== "string" || value === "") {
      // A RunError: Pulumi prints this sentence alone, without a stack trace.
      throw new pulumi.RunError(`stack ${cloudStackName} has no output siderolinkKernelArgs: set homelab:omniJoinToken on the cloud stack and run pulumi up -s cloud first (README, one-time steps)`);
    }
    return value;
  });
}

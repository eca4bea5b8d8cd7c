/**
 * The CrossGuard policy pack. This is the only file that constructs the PolicyPack (its
 * constructor starts the analyzer's gRPC server and never returns), so tests and the offline
 * plan import `./rules` instead.
 *
 *   pulumi preview --policy-pack policies      # in CI, see .github/workflows/preview.yml
 */
import { PolicyPack, type PolicyResource, type StackValidationPolicy } from "@pulumi/policy";
import { policies, type PolicyResourceView } from "./rules";

function view(resource: PolicyResource): PolicyResourceView {
  return { type: resource.type, name: resource.name, urn: resource.urn, props: resource.props, dependencies: resource.dependencies.map((d) => d.urn) };
}

const stackPolicies: StackValidationPolicy[] = policies.map((policy) => ({
  name: policy.name,
  description: policy.description,
  enforcementLevel: policy.enforcementLevel,
  validateStack: (args, reportViolation) => {
    const resources = args.resources.map(view);
    const byName = new Map(resources.map((r) => [r.name, r.urn]));
    // CrossGuard decrypts secrets before policies see them: content checks only (see rules.ts).
    for (const violation of policy.check(resources, { secretsVisible: false })) {
      reportViolation(violation.message, byName.get(violation.resource));
    }
  },
}));

new PolicyPack("homelab", { policies: stackPolicies });

import { createHash } from "node:crypto";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { kubeconfigScript, machineClassesDocument, omniEnvironment, templateSyncScript, type OmniAccess } from "../../lib/talos/omnictl";

export interface TalosClusterArgs {
  /** Cluster name in Omni (dev, prod, cloud). */
  clusterName: string;
  /**
   * The rendered, already validated template (`clusterTemplate` in lib/talos/clusters.ts): the
   * stack renders it before registering any resource, so a bad patch creates nothing.
   */
  template: string;
  omni: OmniAccess;
  /**
   * Keep the cluster in Omni when the resource is deleted (PROD: the family's cluster is never
   * torn down by a `pulumi destroy`; delete it in Omni on purpose).
   */
  retainOnDelete: boolean;
  /** The kubeconfig rotation window (`rotationWindow` in lib/talos/omnictl.ts): a new one mints a new kubeconfig. */
  kubeconfigRotation: string;
}

/**
 * A Talos cluster managed by Omni through its cluster template (stories 1.2.x, 1.3.3, 3.1.2,
 * 3.2.2). The template is validated (Omni's template models, the Talos v1.9 schema for every
 * patch) before anything runs; `omnictl cluster template sync` runs only when the rendered
 * template changes. A version bump in config changes the template, and Omni rolls the upgrade
 * out machine by machine.
 */
export class TalosCluster extends pulumi.ComponentResource {
  /** The rendered template, as synced (no secrets in it). */
  readonly template: string;
  /** sha256 of the template: changes exactly when a sync will run. */
  readonly templateDigest: string;
  /** Service-account kubeconfig through Omni's Kubernetes proxy (secret): feeds the Kubernetes provider. */
  readonly kubeconfig: pulumi.Output<string>;

  constructor(name: string, args: TalosClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("homelab:talos:Cluster", name, {}, opts);
    this.template = args.template;
    this.templateDigest = createHash("sha256").update(this.template).digest("hex");
    const environment = omniEnvironment(args.omni);

    const sync = new command.local.Command(`${name}-template`, {
      create: templateSyncScript,
      update: templateSyncScript,
      delete: `omnictl delete cluster ${args.clusterName}`,
      stdin: this.template,
      environment,
      triggers: [this.templateDigest],
      logging: "stdoutAndStderr",
    }, { parent: this, retainOnDelete: args.retainOnDelete });

    const kubeconfig = new command.local.Command(`${name}-kubeconfig`, {
      create: kubeconfigScript(args.clusterName, `pulumi-${args.clusterName}`),
      environment,
      // Replaced (re-minted, with a fresh TTL) whenever the rotation window moves.
      triggers: [args.kubeconfigRotation],
      // Never print the kubeconfig in the deployment log.
      logging: "stderr",
    }, { parent: this, dependsOn: [sync], additionalSecretOutputs: ["stdout"] });
    this.kubeconfig = pulumi.secret(kubeconfig.stdout);

    this.registerOutputs({ templateDigest: this.templateDigest, kubeconfig: this.kubeconfig });
  }
}

/** Omni's MachineClasses (story 1.3.4), applied with `omnictl apply` from stdin. */
export class OmniMachineClasses extends pulumi.ComponentResource {
  readonly document: string;

  constructor(name: string, args: { omni: OmniAccess }, opts?: pulumi.ComponentResourceOptions) {
    super("homelab:talos:MachineClasses", name, {}, opts);
    this.document = machineClassesDocument();
    const script = ["set -eu", 'classes="$(mktemp)"', "trap 'rm -f \"$classes\"' EXIT", 'cat > "$classes"', 'omnictl apply --file "$classes"'].join("\n");
    new command.local.Command(`${name}-apply`, {
      create: script,
      update: script,
      stdin: this.document,
      environment: omniEnvironment(args.omni),
      triggers: [createHash("sha256").update(this.document).digest("hex")],
    }, { parent: this });
    this.registerOutputs({});
  }
}

/**
 * The CI runner VM on the Proxmox host (issue 13, path 3), as pure data: its cloud-init and the
 * scripts it installs. GitHub-hosted runners cannot reach the Proxmox API or the host's SSH on
 * the LAN, so `deploy-dev` and `promote-prod` run here: a persistent repository runner that
 * long-polls GitHub (no inbound port), with a root-owned job hook that accepts only this
 * repository's deployment workflows from main. It lives on Proxmox, beside the clusters and not
 * in one, so it can repair either.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { githubRepositoryPattern } from "../config/fields";
import { renderShellScript } from "../hypervisor/scripts";
import { versions } from "../versions";

/** Where things live on the runner VM. */
export const runnerPaths = { dir: "/opt/actions-runner", hooks: "/opt/runner-hooks", env: "/etc/homelab-runner.env" } as const;

/** The label the deployment workflows select (`runs-on`), the runner's only one. */
export const runnerLabel = "homelab-lan";

/** The only workflows the runner accepts (files under .github/workflows/). */
export const deploymentWorkflows = ["deploy-dev.yml", "promote-prod.yml"] as const;

export interface RunnerSettings {
  /** `owner/repo` the runner registers with. */
  repository: string;
  /** VM and runner name. */
  name: string;
  /** The admin's SSH key, for the one-time registration and maintenance. */
  adminSshKey: string;
  /** Swap for Pulumi's peaks on a small VM. */
  swapGb: number;
}

const filesDir = join(__dirname, "files");
export type RunnerFile = "install.sh" | "register.sh" | "pin-hooks.sh" | "job-started.sh" | "job-completed.sh" | "user-data-snippet.sh";
export function runnerFile(name: RunnerFile): string {
  return readFileSync(join(filesDir, name), "utf8");
}

/** /etc/homelab-runner.env: what every script reads (plain values, no secret). */
export function runnerEnv(settings: RunnerSettings): string {
  if (!githubRepositoryPattern.test(settings.repository)) throw new Error(`runner: repository "${settings.repository}" is not owner/repo`);
  const entries: Record<string, string> = {
    RUNNER_REPOSITORY: settings.repository,
    RUNNER_NAME: settings.name,
    RUNNER_LABEL: runnerLabel,
    RUNNER_WORKFLOWS: deploymentWorkflows.join(" "),
    RUNNER_DIR: runnerPaths.dir,
    RUNNER_HOOKS: runnerPaths.hooks,
    RUNNER_VERSION: versions.actionsRunner,
    RUNNER_SHA256: versions.actionsRunnerSha256,
  };
  return Object.entries(entries).map(([k, v]) => `${k}='${v}'\n`).join("");
}

/**
 * First-boot configuration of the runner VM (Debian 12 cloud image): key-only SSH for the admin,
 * an unprivileged `runner` user (no sudo), swap, the guest agent, the runner's scripts and hooks
 * (root-owned), and the pinned actions/runner release. Registration is one admin step, because
 * its token lives one hour (homelab-runner-register, docs/network-paths.md).
 */
export function runnerCloudInit(settings: RunnerSettings): string {
  const sbin = (name: string) => `/usr/local/sbin/${name}`;
  const doc = {
    hostname: settings.name,
    package_update: true,
    package_upgrade: true,
    // git and jq for the workflows, xz for Talos images, the guest agent for Proxmox.
    packages: ["ca-certificates", "curl", "git", "jq", "xz-utils", "qemu-guest-agent", "unattended-upgrades"],
    ssh_pwauth: false,
    disable_root: true,
    users: [
      { name: "homelab-admin", groups: ["sudo"], sudo: "ALL=(ALL) NOPASSWD:ALL", shell: "/bin/bash", lock_passwd: true, ssh_authorized_keys: [settings.adminSshKey] },
      // The jobs' user: no sudo, no login.
      { name: "runner", shell: "/bin/bash", lock_passwd: true },
    ],
    swap: { filename: "/swapfile", size: `${settings.swapGb}G`, maxsize: `${settings.swapGb}G` },
    write_files: [
      { path: runnerPaths.env, permissions: "0644", owner: "root:root", content: runnerEnv(settings) },
      { path: sbin("homelab-runner-install"), permissions: "0755", owner: "root:root", content: runnerFile("install.sh") },
      { path: sbin("homelab-runner-register"), permissions: "0755", owner: "root:root", content: runnerFile("register.sh") },
      { path: sbin("homelab-runner-pin-hooks"), permissions: "0755", owner: "root:root", content: runnerFile("pin-hooks.sh") },
      { path: `${runnerPaths.hooks}/job-started.sh`, permissions: "0755", owner: "root:root", content: runnerFile("job-started.sh") },
      { path: `${runnerPaths.hooks}/job-completed.sh`, permissions: "0755", owner: "root:root", content: runnerFile("job-completed.sh") },
    ],
    runcmd: [
      ["systemctl", "enable", "--now", "qemu-guest-agent"],
      [sbin("homelab-runner-install")],
    ],
  };
  return `#cloud-config\n${stringify(doc, { lineWidth: 0 })}`;
}

/** Where the user data lands on the host: a snippet of the ISO storage (a directory storage, `local`). */
export function userDataSnippet(storage: string, name: string): { fileId: string; file: string } {
  const file = `${name}-user-data.yaml`;
  return { fileId: `${storage}:snippets/${file}`, file };
}

/** The host script that writes the user data as a snippet (run over SSH like the hypervisor's scripts). */
export function userDataSnippetScript(storage: string, name: string, userData: string): string {
  // write_file compares without the trailing newline and adds one: pass the text without it.
  return renderShellScript("runner-user-data", runnerFile("user-data-snippet.sh"), { STORAGE: storage, FILE: userDataSnippet(storage, name).file, USER_DATA: userData.replace(/\n+$/, "") });
}

/**
 * The admin's command line.
 *
 *   npm run homelab -- invite create --email NAME@DOMAIN --groups family-validated [--expires 7d]
 *   npm run homelab -- invite list
 *   npm run homelab -- invite revoke <invitation id>
 *
 * Reads AUTHENTIK_URL (https://auth.<domain>) and AUTHENTIK_TOKEN from the environment.
 * Exit codes: 0 done, 1 Authentik refused or is unreachable, 2 bad arguments.
 */
import { parseArgs } from "node:util";
import { InviteClient, InviteError } from "../lib/identity/invite";

const usage = `usage:
  homelab invite create --email <address> --groups <group[,group]> [--expires 7d]
  homelab invite list
  homelab invite revoke <invitation id>
environment: AUTHENTIK_URL, AUTHENTIK_TOKEN`;

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<number> {
  const [area, command, ...rest] = argv;
  if (area !== "invite" || !command || !["create", "list", "revoke"].includes(command)) {
    out(usage);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, options: { email: { type: "string" }, groups: { type: "string" }, expires: { type: "string", default: "7d" } } });
  } catch (error) {
    out(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  try {
    const client = new InviteClient({ url: env.AUTHENTIK_URL ?? "", token: env.AUTHENTIK_TOKEN ?? "" });
    if (command === "create") {
      if (!parsed.values.email || !parsed.values.groups) {
        out(`invite create needs --email and --groups\n${usage}`);
        return 2;
      }
      const groupNames = parsed.values.groups.split(",").map((g) => g.trim()).filter((g) => g !== "");
      const { invitation, link } = await client.create({ email: parsed.values.email, groups: groupNames, expiresIn: parsed.values.expires ?? "7d" });
      out(`invitation ${invitation.pk} for ${parsed.values.email} (${groupNames.join(", ")}), valid until ${invitation.expires?.toISOString() ?? "never"}`);
      out(link);
    } else if (command === "list") {
      for (const invitation of await client.list()) {
        const data = (invitation.fixedData ?? {}) as { email?: string; homelab_groups?: string[] };
        out(`${invitation.pk}  ${data.email ?? "?"}  ${(data.homelab_groups ?? []).join(",")}  expires ${invitation.expires?.toISOString() ?? "never"}`);
      }
    } else {
      const id = parsed.positionals[0];
      if (!id) {
        out(`invite revoke needs the invitation id\n${usage}`);
        return 2;
      }
      await client.revoke(id);
      out(`revoked ${id}`);
    }
    return 0;
  } catch (error) {
    if (error instanceof InviteError) {
      out(`homelab invite: ${error.message}`);
      return error.kind === "input" ? 2 : 1;
    }
    throw error;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), process.env, (line) => console.log(line)).then((code) => process.exit(code));
}

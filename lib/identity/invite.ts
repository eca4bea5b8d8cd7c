/**
 * `homelab invite`: invitation-only onboarding from the command line (stories 3.3.1 and 3.3.4),
 * through the official Authentik client. An invitation carries the e-mail and the groups the
 * person joins (the enrollment flow's `homelab-invitation-groups` policy applies them), expires,
 * and works once.
 */
import { Configuration, CoreApi, FlowsApi, ResponseError, StagesApi, FetchError, type Invitation } from "@goauthentik/api";
import { groups } from "../catalog";
import { flowSlugs } from "./authentik";

export class InviteError extends Error {
  /** `input`: the arguments or environment are wrong; `remote`: Authentik refused or is unreachable. */
  constructor(
    message: string,
    readonly kind: "input" | "remote" = "input",
  ) {
    super(message);
    this.name = "InviteError";
  }
}

export interface InviteClientOptions {
  /** Authentik base URL, e.g. https://auth.example.com */
  url: string;
  /** API token (the ci-github service account, or an admin's). */
  token: string;
}

export interface CreateInvitation {
  email: string;
  groups: readonly string[];
  /** Lifetime, e.g. "7d", "48h". */
  expiresIn: string;
  now?: Date;
}

export function parseDuration(text: string): number {
  const match = /^(\d+)([hd])$/.exec(text);
  if (!match) throw new InviteError(`--expires "${text}": expected a duration such as 48h or 7d`);
  const hours = Number(match[1]) * (match[2] === "d" ? 24 : 1);
  if (hours < 1 || hours > 24 * 30) throw new InviteError(`--expires "${text}": choose between 1h and 30d`);
  return hours * 3600_000;
}

export class InviteClient {
  private readonly config: Configuration;
  constructor(private readonly options: InviteClientOptions) {
    if (!/^https?:\/\/[^/]+/.test(options.url)) throw new InviteError(`AUTHENTIK_URL "${options.url}" is not a URL such as https://auth.example.com`);
    if (!options.token) throw new InviteError("AUTHENTIK_TOKEN is empty: create an API token in Authentik (or use the ci-github service account's)");
    this.config = new Configuration({ basePath: `${options.url.replace(/\/$/, "")}/api/v3`, headers: { Authorization: `Bearer ${options.token}` } });
  }

  /** Turns transport and HTTP failures into one clear line. */
  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof ResponseError) {
        const status = error.response.status;
        if (status === 401 || status === 403) {
          throw new InviteError(`Authentik refused the token (HTTP ${status}) while trying to ${what}: check AUTHENTIK_TOKEN and that its user may manage invitations`, "remote");
        }
        throw new InviteError(`Authentik answered HTTP ${status} while trying to ${what}`, "remote");
      }
      if (error instanceof FetchError) {
        throw new InviteError(`cannot reach Authentik at ${this.options.url} (${error.cause.message}) while trying to ${what}`, "remote");
      }
      throw error;
    }
  }

  async create(request: CreateInvitation): Promise<{ invitation: Invitation; link: string }> {
    if (!/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(request.email)) throw new InviteError(`--email "${request.email}" is not an e-mail address`);
    if (request.groups.length === 0) throw new InviteError(`--groups is empty: name at least one of ${Object.values(groups).join(", ")}`);
    const lifetime = parseDuration(request.expiresIn);
    const core = new CoreApi(this.config);
    for (const name of request.groups) {
      const found = await this.call(`look up group ${name}`, () => core.coreGroupsList({ name }));
      if (found.results.length === 0) throw new InviteError(`unknown group "${name}": Authentik has no such group (the homelab's are ${Object.values(groups).join(", ")})`);
    }
    const flows = await this.call("find the enrollment flow", () => new FlowsApi(this.config).flowsInstancesList({ slug: flowSlugs.enrollment }));
    const flow = flows.results[0];
    if (!flow) throw new InviteError(`Authentik has no flow "${flowSlugs.enrollment}": are the homelab blueprints applied?`, "remote");
    const now = request.now ?? new Date();
    const local = request.email.split("@")[0]!.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    const invitation = await this.call("create the invitation", () =>
      new StagesApi(this.config).stagesInvitationInvitationsCreate({
        invitationRequest: {
          name: `invite-${local}-${now.toISOString().slice(0, 10)}`,
          expires: new Date(now.getTime() + lifetime),
          fixedData: { email: request.email, homelab_groups: [...request.groups] },
          singleUse: true,
          flow: flow.pk,
        },
      }),
    );
    return { invitation, link: this.link(invitation.pk) };
  }

  link(invitationId: string): string {
    return `${this.options.url.replace(/\/$/, "")}/if/flow/${flowSlugs.enrollment}/?itoken=${invitationId}`;
  }

  async list(): Promise<Invitation[]> {
    const page = await this.call("list invitations", () => new StagesApi(this.config).stagesInvitationInvitationsList({ flowSlug: flowSlugs.enrollment, ordering: "expires" }));
    return page.results;
  }

  async revoke(id: string): Promise<void> {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new InviteError(`"${id}" is not an invitation id (the UUID that \`homelab invite list\` prints)`);
    await this.call(`revoke invitation ${id}`, () => new StagesApi(this.config).stagesInvitationInvitationsDestroy({ inviteUuid: id }));
  }
}

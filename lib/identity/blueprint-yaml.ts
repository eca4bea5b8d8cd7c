/**
 * The YAML side of Authentik blueprints: the entry shape, the custom tags and a parser that
 * keeps them. No dependency on the API client, so the policy pack can read blueprints cheaply.
 */
import { parse, type CollectionTag, type ScalarTag } from "yaml";

/** A blueprint tag as it appears in YAML, e.g. `!KeyOf flow-enrollment`. */
export class BlueprintTag {
  constructor(
    readonly name: "!KeyOf" | "!Find" | "!Env" | "!Format",
    readonly value: unknown,
  ) {}
}

export interface BlueprintEntry {
  /** `app.model`, e.g. authentik_flows.flow (ModelName when built by BlueprintBuilder). */
  model: string;
  id?: string;
  identifiers: Record<string, unknown>;
  attrs: Record<string, unknown>;
  state?: "present" | "created" | "absent";
  /** Object permissions on the entry's object (blueprint v1 `permissions`): a codename and the user or role it is granted to. */
  permissions?: { permission: string; user?: unknown; role?: unknown }[];
}

export interface Blueprint {
  version: 1;
  metadata: { name: string; labels?: Record<string, string> };
  entries: BlueprintEntry[];
}

const scalarTag = (name: "!KeyOf" | "!Env"): ScalarTag => ({ tag: name, resolve: (value: string) => new BlueprintTag(name, value) }) as ScalarTag;
const seqTag = (name: "!Find" | "!Format"): CollectionTag =>
  ({ tag: name, collection: "seq", resolve: (seq: { toJSON(): unknown }) => new BlueprintTag(name, seq.toJSON()) }) as unknown as CollectionTag;

/** Parses a blueprint with its custom tags, which become BlueprintTag objects. */
export function parseBlueprint(text: string): Blueprint {
  return parse(text, { customTags: [scalarTag("!KeyOf"), scalarTag("!Env"), seqTag("!Find"), seqTag("!Format")] }) as Blueprint;
}



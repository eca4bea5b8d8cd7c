/** What a stack's raw config is, how a secret value travels, and the error that lists every problem. */
import { secretPlaceholder } from "../markers";

export const stackNames = ["cloud", "prod", "dev"] as const;
export type StackName = (typeof stackNames)[number];

/**
 * A config value that Pulumi holds as a secret (`pulumi config set --secret`). The loader wraps
 * secure values in this class, so the schema can tell a secret from a plain value and refuse a
 * plain value where a secret belongs. `toString` never reveals the value.
 */
export class SecretValue {
  constructor(readonly value: string) {}
  toString(): string {
    return secretPlaceholder;
  }
  toJSON(): string {
    return secretPlaceholder;
  }
}

/** One raw config entry as Pulumi gives it: its (possibly JSON) value and whether it is secure. */
export interface RawConfigEntry {
  value: string;
  secret: boolean;
}
export type RawConfig = Record<string, RawConfigEntry>;

export class ConfigError extends Error {
  constructor(
    readonly stackName: string,
    readonly problems: readonly string[],
  ) {
    super(
      `invalid configuration for stack "${stackName}" (${problems.length} problem${problems.length === 1 ? "" : "s"}); nothing was created:\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

/**
 * Something the machine running the program lacks (the pinned upstream schemas, a tool): neither
 * the stack file nor a bug. The plan prints its one line, which says how to provide it.
 */
export class EnvironmentError extends Error {
  readonly problems: readonly string[];
  constructor(problem: string) {
    super(problem);
    this.name = "EnvironmentError";
    this.problems = [`this machine: ${problem}`];
  }
}

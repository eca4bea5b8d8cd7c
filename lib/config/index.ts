/**
 * The typed configuration of every stack: one zod schema per stack, defaults from the stories,
 * and one error line per problem that names the key path, the value, what is expected and how
 * to fix it. The program validates before it registers any resource.
 */
export { ConfigError, SecretValue, stackNames, type RawConfig, type RawConfigEntry, type StackName } from "./errors";
export type { OciInstanceConfig } from "./cloud";
export { defaultDatasets, devVmDefaults, prodVmDefaults, type VmSize } from "./home";
export { loadStackConfig, stackSchemas, type CloudConfig, type DevConfig, type ProdConfig, type StackConfig } from "./load";
export { formatRange, parseCidr, parseIpv4, rangeContains, rangeOf, rangesOverlap, type Ipv4Range } from "./net";
export { crossStackProblems } from "./cross-stack";

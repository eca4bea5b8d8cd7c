/**
 * Kubernetes objects are validated against the API's own OpenAPI schemas (kubernetes-models)
 * for built-in kinds, and against the pinned CRD schemas for custom resources.
 */
import { assertMatchesSchema, crdSchemaPath, readLock, SchemaValidationError } from "./schemas";

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

type ModelClass = new (data: unknown) => { validate(): void };

/** A kind is a custom resource when the pinned CRD catalog has its group; else it is built in. */
function isBuiltIn(apiVersion: string): boolean {
  if (!apiVersion.includes("/")) return true;
  const group = apiVersion.split("/")[0]!;
  return !readLock().entries.some((e) => e.path.startsWith(`crds/${group}/`));
}

export function validateKubernetesObject(object: KubernetesObject): void {
  const what = `${object.kind} ${object.metadata?.namespace ? `${object.metadata.namespace}/` : ""}${object.metadata?.name ?? "(unnamed)"}`;
  if (!object.apiVersion || !object.kind) throw new SchemaValidationError(what, [{ path: "", message: "apiVersion and kind are required" }]);
  if (!isBuiltIn(object.apiVersion)) {
    assertMatchesSchema(what, object, crdSchemaPath(object.apiVersion, object.kind));
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is chosen by apiVersion
  const module = require(`kubernetes-models/${object.apiVersion}`) as Record<string, ModelClass | undefined>;
  const Model = module[object.kind];
  if (!Model) throw new SchemaValidationError(what, [{ path: "/kind", message: `unknown kind ${object.kind} in ${object.apiVersion}` }]);
  try {
    new Model(object).validate();
  } catch (error) {
    throw new SchemaValidationError(what, [{ path: "", message: error instanceof Error ? error.message : String(error) }]);
  }
}

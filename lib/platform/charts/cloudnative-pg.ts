import type { AppRecord, Values } from "../../catalog/types";
import { resourcesFor } from "../resources";

export function cloudnativePgValues(_ctx: unknown, app: AppRecord): Values {
  return { resources: resourcesFor(app), monitoring: { podMonitorEnabled: true } };
}

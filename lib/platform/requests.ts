/**
 * What the pods of an app-template release ask for, read back from its rendered values: the
 * containers of each controller together (sidecars and setup containers included), or an init
 * container when it asks more (Kubernetes' effective pod request), times the replicas. The plan's
 * cluster budget counts this, so a container added to a spec is counted without a second figure.
 */
import type { Resources, Values } from "../catalog/types";

/** Millicores of a Kubernetes CPU quantity ("250m", "0.5", "1"). */
export function cpuMillicores(quantity: string): number {
  return quantity.endsWith("m") ? Number(quantity.slice(0, -1)) : Math.round(Number(quantity) * 1000);
}

/** MiB of a Kubernetes memory quantity ("64Mi", "1Gi"; plain bytes). */
export function memoryMebibytes(quantity: string): number {
  const units: Record<string, number> = { Ki: 1 / 1024, Mi: 1, Gi: 1024, K: 1000 / 1048576, M: 1_000_000 / 1048576, G: 1e9 / 1048576 };
  const match = /^([0-9.]+)([KMG]i?)?$/.exec(quantity);
  if (!match) throw new Error(`unreadable memory quantity "${quantity}"`);
  return Math.round(Number(match[1]) * (match[2] ? units[match[2]]! : 1 / 1048576));
}

interface ContainerValues {
  resources?: { requests?: { cpu?: string; memory?: string } };
}

function requestsOf(containers: Record<string, ContainerValues> | undefined): Resources[] {
  return Object.values(containers ?? {}).map((c) => ({ cpuM: cpuMillicores(c.resources?.requests?.cpu ?? "0"), memoryMi: memoryMebibytes(c.resources?.requests?.memory ?? "0") }));
}

/** The requests of every pod an app-template release renders. */
export function templateRequests(values: Values): Resources {
  const controllers = (values.controllers ?? {}) as Record<string, { replicas?: number; containers?: Record<string, ContainerValues>; initContainers?: Record<string, ContainerValues> }>;
  let cpuM = 0;
  let memoryMi = 0;
  for (const controller of Object.values(controllers)) {
    const running = requestsOf(controller.containers);
    const init = requestsOf(controller.initContainers);
    const podCpu = Math.max(running.reduce((s, r) => s + r.cpuM, 0), ...init.map((r) => r.cpuM));
    const podMemory = Math.max(running.reduce((s, r) => s + r.memoryMi, 0), ...init.map((r) => r.memoryMi));
    const replicas = controller.replicas ?? 1;
    cpuM += podCpu * replicas;
    memoryMi += podMemory * replicas;
  }
  return { cpuM, memoryMi };
}

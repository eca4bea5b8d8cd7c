/**
 * Alertmanager routing (story 2.4.5, FR-021): critical alerts to ntfy and Telegram, warnings to
 * ntfy only, grouped to cut noise, with inhibitions (a critical silences its warning twin; a node
 * that is down silences what runs on it) and a catch-all that drops info and the watchdog.
 * The configuration holds the receivers' tokens, so it is rendered inside a Pulumi secret and
 * stored as a Kubernetes Secret that the Alertmanager reads (never Helm values, never Git).
 */
import { stringify } from "yaml";

export interface AlertmanagerInputs {
  /** ntfy topic URL the alerts are published to (in-cluster on PROD, through the tunnel elsewhere). */
  ntfyUrl: string;
  ntfyToken: string;
  telegram: { chatId: number; botToken: string; /** Override for tests (a local stand-in). */ apiUrl?: string };
  /** Grouping timings; the defaults are the production ones, tests shorten them. */
  timing?: { groupWait: string; criticalGroupWait: string; groupInterval: string };
}

export const productionTiming = { groupWait: "30s", criticalGroupWait: "10s", groupInterval: "5m" } as const;

export const receivers = { critical: "critical-ntfy-telegram", warning: "warning-ntfy", drop: "drop" } as const;

/** ntfy priorities: 5 is "max" (bypasses do-not-disturb on the phone), 3 "default". */
function ntfyWebhook(inputs: AlertmanagerInputs, priority: number, tags: string): Record<string, unknown> {
  const url = new URL(inputs.ntfyUrl);
  url.searchParams.set("priority", String(priority));
  url.searchParams.set("tags", tags);
  url.searchParams.set("title", "homelab alert");
  return {
    url: url.toString(),
    send_resolved: true,
    max_alerts: 10,
    http_config: { authorization: { type: "Bearer", credentials: inputs.ntfyToken } },
  };
}

export function alertmanagerConfig(inputs: AlertmanagerInputs): Record<string, unknown> {
  const timing = inputs.timing ?? productionTiming;
  return {
    global: { resolve_timeout: "5m" },
    route: {
      receiver: receivers.warning,
      group_by: ["alertname", "cluster", "namespace"],
      group_wait: timing.groupWait,
      group_interval: timing.groupInterval,
      repeat_interval: "4h",
      routes: [
        { receiver: receivers.drop, matchers: ['alertname=~"Watchdog|InfoInhibitor"'] },
        { receiver: receivers.drop, matchers: ['severity="info"'] },
        { receiver: receivers.critical, matchers: ['severity="critical"'], group_wait: timing.criticalGroupWait, repeat_interval: "1h" },
        { receiver: receivers.warning, matchers: ['severity="warning"'] },
      ],
    },
    inhibit_rules: [
      // A critical alert makes the warnings of its category on the same target redundant
      // (disk above 90 % says everything disk above 80 % would).
      { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ["cluster", "category", "instance", "persistentvolumeclaim"] },
      // A node that is not ready explains everything else failing on it.
      { source_matchers: ['alertname="NodeNotReady"'], target_matchers: ['alertname!="NodeNotReady"'], equal: ["cluster", "node"] },
    ],
    receivers: [
      { name: receivers.drop },
      { name: receivers.warning, webhook_configs: [ntfyWebhook(inputs, 3, "warning")] },
      {
        name: receivers.critical,
        webhook_configs: [ntfyWebhook(inputs, 5, "rotating_light")],
        telegram_configs: [
          {
            bot_token: inputs.telegram.botToken,
            chat_id: inputs.telegram.chatId,
            parse_mode: "HTML",
            send_resolved: true,
            ...(inputs.telegram.apiUrl ? { api_url: inputs.telegram.apiUrl } : {}),
          },
        ],
      },
    ],
  };
}

export function renderAlertmanagerConfig(inputs: AlertmanagerInputs): string {
  return stringify(alertmanagerConfig(inputs), { lineWidth: 0 });
}

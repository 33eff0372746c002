import "server-only";
import { getEnv } from "@/lib/env";
import { targetsFromHours, type SlaTargets } from "@/lib/support/sla";

/** The SLA targets of the configuration (SLA_{PRIORITY}_{RESPONSE,RESOLUTION}, in hours). */
export function getSlaTargets(): SlaTargets {
  const e = getEnv();
  return targetsFromHours({
    low: { response: e.SLA_LOW_RESPONSE, resolution: e.SLA_LOW_RESOLUTION },
    medium: { response: e.SLA_MEDIUM_RESPONSE, resolution: e.SLA_MEDIUM_RESOLUTION },
    high: { response: e.SLA_HIGH_RESPONSE, resolution: e.SLA_HIGH_RESOLUTION },
    urgent: { response: e.SLA_URGENT_RESPONSE, resolution: e.SLA_URGENT_RESOLUTION },
  });
}

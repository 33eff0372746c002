import "server-only";
/** Abuse detection: the scan (job, scanAllUsers, runAllChecks) and the admin actions on incidents. */
export { scan, scanAllUsers, runAllChecks, type ScanSummary, type ScanOptions } from "./scan";
export { mitigateIncidents, ABUSE_JOB } from "./mitigation";
export { recordIncidents, type CreatedIncident } from "./record";
export { investigateIncident, resolveIncident, suspendIncidentUser, restoreIncidentUser } from "./incidents";
export { reportIncident } from "./reports";
export { warnIncidentUser } from "./warnings";
export { autoThrottleIncidents } from "./auto-throttle";

import "server-only";
/** Abuse detection: the scan (job, runAllChecks, benchmark hooks) and the admin actions on incidents. */
export { scan, scanAllUsers, runAllChecks, scanUserByUser, runDetector, type ScanSummary, type ScanOptions, type ScanHooks } from "./scan";
export { mitigateIncidents, ABUSE_JOB } from "./mitigation";
export { recordIncidents, type CreatedIncident } from "./record";
export { investigateIncident, resolveIncident, suspendIncidentUser, restoreIncidentUser } from "./incidents";
export { reportIncident } from "./reports";
export { warnIncidentUser } from "./warnings";
export { autoThrottleIncidents } from "./auto-throttle";

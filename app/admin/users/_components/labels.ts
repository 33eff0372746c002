export const ROLE_LABELS = { user: "User", agent: "Support agent", admin: "Administrator" } as const;
export const STATUS_LABELS = { active: "Active", suspended: "Suspended", banned: "Banned" } as const;
export const STATUS_TONES = { active: "success", suspended: "warning", banned: "danger" } as const;

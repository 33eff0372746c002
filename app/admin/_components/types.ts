import type { getAdminDashboard } from "@/lib/dal/analytics";

export type AdminDashboard = Awaited<ReturnType<typeof getAdminDashboard>>;

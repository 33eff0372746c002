import { withApi } from "@/lib/api/handler";
import { getMe } from "@/lib/dal/users";

export const GET = withApi({ auth: "user" }, ({ actor }) => getMe(actor));

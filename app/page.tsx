import { redirect } from "next/navigation";
import { getCurrentSession, TWO_FACTOR_SETUP_PATH } from "@/lib/auth/session";
import { homePathFor } from "@/lib/auth/home";

/** Each role's home: devices, the ticket queue or the dashboard (after two-factor enrolment when it is required). */
export default async function HomePage() {
  const session = await getCurrentSession();
  if (!session) redirect("/sign-in");
  if (session.twoFactorSetupRequired) redirect(TWO_FACTOR_SETUP_PATH);
  redirect(homePathFor(session.actor.role));
}

"use client";

import { useRouter } from "next/navigation";
import { TwoFactorSetup } from "@/components/account/two-factor-setup";

/** Settings' enrolment: when the recovery codes have been saved, the card shows two-factor as on. */
export function TwoFactorEnrol() {
  const router = useRouter();
  return <TwoFactorSetup onDone={() => router.refresh()} doneLabel="I saved them" />;
}

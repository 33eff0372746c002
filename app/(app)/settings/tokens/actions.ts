"use server";

import { z } from "zod";
import { createApiToken, revokeApiToken } from "@/lib/dal/api-tokens";
import { IdSchema } from "@/lib/validation/ids";
import { defineFormAction } from "@/lib/actions/define-action";

const CreateTokenSchema = z.object({
  name: z.string().trim().min(1, "Give the token a name").max(100, "Name is too long"),
});

const TOKENS = ["/settings/tokens"] as const;

export type CreatedToken = { token: string; name: string };

/** The token is in the result once and never again: only its hash is stored. */
export const createApiTokenAction = defineFormAction(
  { auth: "user", input: CreateTokenSchema, values: ["name"], revalidate: TOKENS },
  async ({ actor, input }): Promise<CreatedToken> => {
    const { token, item } = await createApiToken(actor, input.name);
    return { token, name: item.name };
  },
);

export const revokeApiTokenAction = defineFormAction(
  { auth: "user", input: z.object({ id: IdSchema }), notFound: "This token could not be found.", revalidate: TOKENS },
  async ({ actor, input }) => {
    await revokeApiToken(actor, input.id);
    return null;
  },
);

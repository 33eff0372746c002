import { z } from "zod";

/**
 * The shape of every id the app hands out (uuids; plan and job names):
 * letters, digits, `-` and `_`. Checked at every door before an id reaches
 * a query, so a NUL byte or a megabyte of text is a 404 or a 400, never a
 * database error.
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

export const isId = (v: unknown): v is string => typeof v === "string" && ID_PATTERN.test(v);

export const IdSchema = z.string().trim().regex(ID_PATTERN, "Not a valid id");

/** The same id, for a field a person picks in a form: one message for missing and malformed ("Choose a plan"). */
export const idField = (message: string) => z.string({ message }).trim().min(1, message).regex(ID_PATTERN, message);

/** An optional field that a form sends as "" when left empty: blank counts as absent, at every door. */
export const blankAsAbsent = <S extends z.ZodType>(schema: S) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());

export class UsageError extends Error {}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, { type: "string" | "boolean"; short?: string }>;
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<void>;
}

export function required(values: Record<string, string | boolean | undefined>, name: string): string {
  const v = values[name];
  if (typeof v !== "string" || v.trim() === "") throw new UsageError(`--${name} is required`);
  return v;
}

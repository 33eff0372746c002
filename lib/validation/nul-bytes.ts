/**
 * PostgreSQL refuses a NUL byte (U+0000) in any text, so one that reached a
 * query would be a database error, and no field of the app has a use for
 * one. Every door refuses it once, at the boundary, for every field at
 * once: withApi for bodies and query strings, defineAction for server
 * actions. A 400 naming the field, never a 500.
 */
export const NUL_MESSAGE = "Must not contain a NUL character (\\u0000)";

const hasNul = (s: string) => s.includes("\u0000");

type Node = { value: unknown; key: string | number | null; parent: Node | null };

const pathOf = (node: Node): string => {
  const keys: (string | number)[] = [];
  for (let n: Node | null = node; n && n.key !== null; n = n.parent) keys.push(n.key);
  return keys.reverse().join(".");
};

/**
 * The path (as zod writes it: "a.0.b") of the first string, or key, in a
 * decoded value that holds a NUL byte; "" for the value itself; null when
 * there is none. Iterative, each node pointing at its parent: a body nested
 * a hundred thousand deep costs neither a stack overflow nor a path per node.
 */
export function findNul(value: unknown): string | null {
  const stack: Node[] = [{ value, key: null, parent: null }];
  while (stack.length) {
    const node = stack.pop()!;
    const v = node.value;
    if (typeof v === "string") {
      if (hasNul(v)) return pathOf(node);
    } else if (typeof v === "object" && v !== null) {
      const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        // A key holding one is named without it, so the answer itself carries none.
        if (typeof key === "string" && hasNul(key)) return pathOf({ value: null, key: key.replaceAll("\u0000", ""), parent: node });
        stack.push({ value: child, key, parent: node });
      }
    }
  }
  return null;
}

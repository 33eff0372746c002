// Lets the CLI and benchmarks load modules marked `import "server-only"`:
// outside Next that package throws by design, so resolve it to an empty module.
import { register } from "node:module";

register(
  "data:text/javascript," +
    encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (specifier === "server-only") return { url: "data:text/javascript,export{}", shortCircuit: true };
  return next(specifier, context);
}`),
  import.meta.url,
);

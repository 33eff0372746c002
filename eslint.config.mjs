import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/**
 * Imports flow one way (README, "Layout"):
 *   app (pages, actions, routes) → services → data access (lib/dal) → db
 * with pure modules (lib/wireguard, lib/validation, lib/support, lib/abuse, lib/vpn) usable from every layer.
 *
 * Each zone names a folder (`target`) and what it may not import (`from`). The rule resolves every
 * specifier to its file first, so `@/lib/services/peers`, `../services/peers` and an `export … from` or
 * `import()` of either are the same import; every zone whose target holds the importing file applies.
 */
const DB_EXCEPT_SCHEMA = { from: "./db", except: ["./schema"] };
const zones = [
  // Only the data layer touches the database: the schema's types and constants are fine anywhere.
  { target: ["./app", "./components"], ...DB_EXCEPT_SCHEMA, message: "Read and write through lib/dal or lib/services." },
  { target: "./components", from: "./app", message: "A shared component cannot depend on one page: move it beside that page." },
  { target: "./lib", from: ["./app", "./components"], message: "lib/ is below the pages: it never imports app/ or components/." },
  { target: "./lib", from: "./inngest", message: "inngest/ only adapts lib/jobs to the SDK: import lib/jobs instead." },
  {
    // Services: workflows and invariants. They call data access and pure modules, never a door.
    target: "./lib/services",
    from: ["./lib/actions", "./lib/api", "./lib/jobs/registry.ts", "./lib/jobs/scheduler.ts"],
    message: "Services are called by the doors (actions, routes, jobs), not the other way round.",
  },
  {
    // Data access: authorized reads and their DTOs. Nothing above it.
    target: "./lib/dal",
    from: ["./lib/services", "./lib/jobs", "./lib/actions", "./lib/api", "./lib/email"],
    message: "Data access never imports a service or a door: move the shared piece down (lib/dal or a pure module).",
  },
  {
    // Pure domain logic: no I/O, usable from the browser too.
    target: ["./lib/wireguard", "./lib/validation", "./lib/support", "./lib/abuse", "./lib/vpn"],
    ...DB_EXCEPT_SCHEMA,
    message: "A pure module does no I/O (the schema's constants are fine): pass it the data instead.",
  },
  {
    target: ["./lib/wireguard", "./lib/validation", "./lib/support", "./lib/abuse", "./lib/vpn"],
    from: ["./lib/services", "./lib/dal", "./lib/jobs"],
    message: "A pure module does no I/O: pass it the data instead.",
  },
  {
    target: "./db",
    from: ["./lib/services", "./lib/dal", "./lib/jobs", "./lib/auth", "./app", "./components", "./inngest"],
    message: "db/ is the bottom layer: schema, migrations, the client.",
  },
  {
    // The Inngest adapter builds functions from lib/jobs' definitions and logs; everything else it reaches through them.
    target: "./inngest",
    from: ".",
    except: ["./inngest", "./lib/jobs", "./lib/log.ts", "./node_modules"],
    message: "inngest/ only adapts lib/jobs to the SDK: it imports lib/jobs and lib/log, nothing else of the project.",
  },
];

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", "node_modules/**", ".data/**", ".e2e-data/**", ".test-data/**", "next-env.d.ts", "playwright-report/**", "test-results/**"],
  },
  {
    files: ["app/**", "components/**", "lib/**", "db/**", "inngest/**"],
    rules: { "import/no-restricted-paths": ["error", { basePath: import.meta.dirname, zones }] },
  },
  {
    // Shared UI renders what pages give it: no service call, no data access (the DTO types it renders are fine).
    // The path rule cannot tell a type from a value, so this one matches specifiers, aliased or relative.
    files: ["components/**"],
    // A "use server" module is a door, not UI; it is listed with the other actions (tests/security/actions.test.ts).
    ignores: ["components/nav/actions.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/lib/services", "**/lib/services/**", "**/lib/dal", "**/lib/dal/**"],
              allowTypeImports: true,
              message: "A shared component gets its data from the page (props): call lib/dal or lib/services there.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["tests/**", "e2e/**", "bench/**", "scripts/**"],
    // Playwright fixtures are called `use`, which is not React's hook.
    rules: { "@typescript-eslint/no-explicit-any": "off", "react-hooks/rules-of-hooks": "off" },
  },
];

export default config;

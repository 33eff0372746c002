import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/**
 * Imports flow one way (README, "Layout"):
 *   app (pages, actions, routes) → services → data access (lib/dal) → db
 * with pure modules (lib/wireguard, lib/validation, lib/support, lib/abuse, lib/vpn) usable from every layer.
 * Each block below lists everything its folder may not import; a file gets the last block that matches it.
 */
const upward = (message) => [
  { group: ["@/app", "@/app/*", "@/components", "@/components/*"], message },
  { group: ["@/inngest", "@/inngest/*"], message: "inngest/ only adapts lib/jobs to the SDK: import lib/jobs instead." },
];
/** The database itself (the client, its errors, its transactions): the schema's types and constants are fine anywhere. */
const DATABASE = { regex: "^@/db(/client|/errors|/[a-z-]+-transaction)?$", message: "Read and write through lib/dal or lib/services." };
const restrict = (...patterns) => ({ "no-restricted-imports": ["error", { patterns: patterns.flat() }] });

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", "node_modules/**", ".data/**", ".e2e-data/**", ".test-data/**", "next-env.d.ts", "playwright-report/**", "test-results/**"],
  },
  {
    // Only the data layer touches the database: pages, components and routes go through lib/dal or lib/services.
    files: ["app/**", "components/**"],
    rules: restrict(DATABASE),
  },
  {
    // Shared UI is used by pages; it never reaches into one page's folder or the database.
    files: ["components/**"],
    rules: restrict(
      DATABASE,
      { group: ["@/app", "@/app/*"], message: "A shared component cannot depend on one page: move it beside that page." },
    ),
  },
  {
    files: ["lib/**"],
    rules: restrict(upward("lib/ is below the pages: it never imports app/ or components/.")),
  },
  {
    // Services: workflows and invariants. They call data access and pure modules, never a door.
    files: ["lib/services/**"],
    rules: restrict(upward("Services are below the pages."), {
      group: ["@/lib/actions", "@/lib/actions/*", "@/lib/api", "@/lib/api/*", "@/lib/jobs/registry", "@/lib/jobs/scheduler"],
      message: "Services are called by the doors (actions, routes, jobs), not the other way round.",
    }),
  },
  {
    // Data access: authorized reads and their DTOs. Nothing above it.
    files: ["lib/dal/**"],
    rules: restrict(upward("Data access is below the pages."), {
      group: ["@/lib/services", "@/lib/services/*", "@/lib/jobs", "@/lib/jobs/*", "@/lib/actions", "@/lib/actions/*", "@/lib/api", "@/lib/api/*", "@/lib/email", "@/lib/email/*"],
      message: "Data access never imports a service or a door: move the shared piece down (lib/dal or a pure module).",
    }),
  },
  {
    // Pure domain logic: no I/O, usable from the browser too.
    files: ["lib/wireguard/**", "lib/validation/**", "lib/support/**", "lib/abuse/**", "lib/vpn/**"],
    rules: restrict(upward("Pure modules are below everything."), {
      regex: "^@/(db(/client|/errors|/[a-z-]+-transaction)?|lib/(services|dal|jobs)(/.*)?)$",
      message: "A pure module does no I/O (the schema's constants are fine): pass it the data instead.",
    }),
  },
  {
    files: ["db/**"],
    rules: restrict(upward("db/ is the bottom layer."), {
      group: ["@/lib/services", "@/lib/services/*", "@/lib/dal", "@/lib/dal/*", "@/lib/jobs", "@/lib/jobs/*", "@/lib/auth", "@/lib/auth/*"],
      message: "db/ is the bottom layer: schema, migrations, the client.",
    }),
  },
  {
    files: ["tests/**", "e2e/**", "bench/**", "scripts/**"],
    // Playwright fixtures are called `use`, which is not React's hook.
    rules: { "@typescript-eslint/no-explicit-any": "off", "react-hooks/rules-of-hooks": "off" },
  },
];

export default config;

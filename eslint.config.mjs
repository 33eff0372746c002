import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", "node_modules/**", ".data/**", ".e2e-data/**", ".test-data/**", "next-env.d.ts", "playwright-report/**", "test-results/**"],
  },
  {
    // Only the data layer touches the database: pages, components and routes go through lib/dal or lib/services.
    files: ["app/**", "components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@/db", "@/db/client", "@/db/seed"], message: "Read and write through lib/dal or lib/services." }] },
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

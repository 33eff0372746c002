export * from "./users";
export * from "./billing";
export * from "./system";
export * from "./vpn";
export * from "./telemetry";
export * from "./support";
export * from "./analytics";
export * from "./abuse";

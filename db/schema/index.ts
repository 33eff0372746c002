export * from "./users";
export * from "./billing";
export * from "./system";
export * from "./vpn";
export * from "./telemetry";

import { formatBytes, formatMoney } from "@/components/charts/format";

/** A plan's price: "Free" or "$4.99 / month". */
export const priceText = (cents: number) => (cents === 0 ? "Free" : `${formatMoney(cents)} / month`);

/** A data allowance: "100 GB a month" or "Unlimited data". */
export const allowanceText = (bytes: number | null) => (bytes === null ? "Unlimited data" : `${formatBytes(bytes)} of data a month`);

/** A device lifetime: "Devices expire after 30 days" or "Devices do not expire". */
export const lifetimeText = (days: number | null) => (days === null ? "Devices do not expire" : `New devices expire after ${days} day${days === 1 ? "" : "s"}`);

export const devicesText = (limit: number) => `Up to ${limit} device${limit === 1 ? "" : "s"}`;

/** The reset is local midnight in the account's zone: that is the day to show. */
export const dayIn = (iso: string, timeZone: string) => new Intl.DateTimeFormat("en-US", { month: "long", day: "numeric", year: "numeric", timeZone }).format(new Date(iso));

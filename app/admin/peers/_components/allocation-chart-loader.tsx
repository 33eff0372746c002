"use client";

import dynamic from "next/dynamic";
import type { ServerAllocation } from "./allocation-chart";

// recharts renders with Math.random() and measures the DOM: client-only, never prerendered.
const AllocationChart = dynamic(() => import("./allocation-chart"), {
  ssr: false,
  loading: () => <div className="h-40 animate-pulse rounded-md bg-slate-100 dark:bg-slate-800" aria-hidden="true" />,
});

/**
 * The allocation chart plus the same numbers as a table for screen readers
 * (the chart itself is hidden from them).
 */
export function AllocationChartLoader({ servers }: { servers: ServerAllocation[] }) {
  return (
    <div data-testid="allocation-chart" className="relative">
      <AllocationChart servers={servers} />
      <table className="sr-only">
        <caption>Addresses allocated per server</caption>
        <thead>
          <tr>
            <th scope="col">Server</th>
            <th scope="col">Allocated</th>
            <th scope="col">Capacity</th>
          </tr>
        </thead>
        <tbody>
          {servers.map((s) => (
            <tr key={s.serverId}>
              <th scope="row">{s.name}</th>
              <td>{s.addressesAllocated}</td>
              <td>{s.capacity}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

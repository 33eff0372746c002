const STEPS = [
  {
    title: "Install the WireGuard app",
    body: (
      <>
        Get it for your phone or computer from{" "}
        <a
          href="https://www.wireguard.com/install/"
          target="_blank"
          rel="noopener noreferrer"
          className="text-sky-700 underline underline-offset-2 hover:no-underline dark:text-sky-400"
        >
          wireguard.com/install
        </a>{" "}
        or your app store.
      </>
    ),
  },
  { title: "Add a device here", body: <>With the button at the top of this page: pick a name, the device type and a server.</> },
  {
    title: "Scan the QR code",
    body: <>In the app choose Add a tunnel → Create from QR code, or download the .conf file on the device and import it. Then turn the tunnel on.</>,
  },
];

/** The first-visit state: the three steps to get online. */
export function EmptyDevices() {
  return (
    <div className="px-4 py-10 sm:px-6" data-testid="devices-empty">
      <h2 className="text-center text-base font-semibold">No devices yet</h2>
      <p className="mx-auto mt-1 max-w-md text-center text-sm text-slate-600 dark:text-slate-400">Three steps to get online:</p>
      <ol className="mx-auto mt-6 grid max-w-3xl gap-4 sm:grid-cols-3">
        {STEPS.map((s, i) => (
          <li key={s.title} className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
            <span aria-hidden="true" className="flex size-7 items-center justify-center rounded-full bg-sky-100 text-sm font-semibold text-sky-800 dark:bg-sky-950 dark:text-sky-300">
              {i + 1}
            </span>
            <h3 className="mt-2 text-sm font-semibold">{s.title}</h3>
            <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{s.body}</p>
          </li>
        ))}
      </ol>
    </div>
  );
}

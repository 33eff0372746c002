"use client";

import { QRCodeSVG } from "qrcode.react";
import { useRef, type ReactNode } from "react";
import { phonePrimaryButton } from "./button-styles";
import { downloadText } from "./local-keys";

/** Large enough for a phone camera at arm's length; the SVG scales down only on screens narrower than this. */
export const QR_SIZE = 320;

/**
 * The QR code of a wg-quick config, always black on white (also in dark mode:
 * phone cameras need the contrast), with the 4-module quiet zone the QR spec
 * asks for and error correction L, which keeps the code as small as possible.
 */
export function ConfigQr({ text, deviceName }: { text: string; deviceName: string }) {
  return (
    <div data-testid="device-qr" className="mx-auto w-fit max-w-full rounded-md bg-white p-0 leading-none shadow-sm ring-1 ring-slate-200 dark:ring-slate-700">
      <QRCodeSVG
        value={text}
        level="L"
        marginSize={4}
        size={QR_SIZE}
        bgColor="#ffffff"
        fgColor="#000000"
        title={`WireGuard configuration QR code for ${deviceName}`}
        className="block h-auto max-w-full"
      />
    </div>
  );
}

/** The config text, folded away: it can hold a private key, so it is not shown unless asked for. */
export function ConfigText({ text, summary = "Show the configuration text", open = false }: { text: string; summary?: string; open?: boolean }) {
  return (
    <details open={open} className="rounded-md border border-slate-200 text-sm dark:border-slate-800">
      <summary className="cursor-pointer select-none px-3 py-2 font-medium text-slate-700 dark:text-slate-300">{summary}</summary>
      <pre
        data-testid="device-config"
        className="max-h-64 overflow-auto border-t border-slate-200 bg-slate-50 px-3 py-2 font-mono text-xs whitespace-pre dark:border-slate-800 dark:bg-slate-950"
      >
        {text}
      </pre>
    </details>
  );
}

/** "Download .conf": a link to the API route (server-key devices) or a file built in the browser (bring your own key). */
export function ConfigDownload({
  source,
  label = "Download .conf",
  className,
  describedBy,
}: {
  source: { href: string } | { text: string; filename: string };
  label?: string;
  className?: string;
  /** Id of the device's name, for context in a list of devices. */
  describedBy?: string;
}) {
  const ref = useRef<HTMLButtonElement>(null);
  if ("href" in source) {
    return (
      <a href={source.href} download aria-describedby={describedBy} className={phonePrimaryButton(className)}>
        {label}
      </a>
    );
  }
  return (
    <button
      ref={ref}
      type="button"
      aria-describedby={describedBy}
      className={phonePrimaryButton(className)}
      onClick={() => downloadText(source.text, source.filename, ref.current?.parentElement)}
    >
      {label}
    </button>
  );
}

/**
 * A ready configuration: the QR code and the download (the download comes
 * first on phones, where it is the way in), then the text.
 */
export function ConfigPanel({
  text,
  deviceName,
  download,
  showQr = true,
  children,
}: {
  text: string;
  deviceName: string;
  download: { href: string } | { text: string; filename: string };
  showQr?: boolean;
  children?: ReactNode;
}) {
  return (
    <div className="space-y-4">
      {children}
      <div className="flex flex-col gap-4">
        <div>
          {showQr ? (
            <>
              <ConfigQr text={text} deviceName={deviceName} />
              <p className="mt-2 text-center text-xs text-slate-600 dark:text-slate-400">
                In the WireGuard app: <span className="font-medium">Add a tunnel</span> → <span className="font-medium">Create from QR code</span>.
              </p>
            </>
          ) : null}
        </div>
        <div className="flex flex-col gap-1 max-sm:order-first">
          <ConfigDownload source={download} className="w-full sm:w-auto sm:self-start" />
          <p className="text-xs text-slate-600 dark:text-slate-400">
            On this device? Download the file and open it with the WireGuard app (or <span className="font-medium">Import tunnel from file</span>).
          </p>
        </div>
      </div>
      <ConfigText text={text} />
    </div>
  );
}

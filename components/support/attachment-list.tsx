import type { AttachmentDto } from "@/lib/dal/ticket-dto";
import { formatBytes } from "@/components/devices/format";

/** Files of a message: images as small previews (served inline), the rest as downloads. */
export function AttachmentList({ files }: { files: AttachmentDto[] }) {
  if (files.length === 0) return null;
  return (
    <ul className="mt-3 flex flex-wrap gap-3" aria-label="Attachments">
      {files.map((f) => (
        <li key={f.id} data-testid="attachment" className="max-w-full">
          <a
            href={f.url}
            target="_blank"
            rel="noopener noreferrer"
            className="flex max-w-64 items-center gap-2 rounded-md border border-slate-200 bg-white p-2 text-sm hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:hover:bg-slate-800"
          >
            {f.contentType.startsWith("image/") ? (
              // eslint-disable-next-line @next/next/no-img-element -- a private, authenticated file: next/image would proxy and cache it
              <img src={f.url} alt="" className="size-12 shrink-0 rounded object-cover" loading="lazy" />
            ) : (
              <span aria-hidden="true" className="flex size-12 shrink-0 items-center justify-center rounded bg-slate-100 text-xs font-semibold uppercase text-slate-600 dark:bg-slate-800 dark:text-slate-300">
                {f.contentType === "application/pdf" ? "PDF" : "TXT"}
              </span>
            )}
            <span className="min-w-0">
              <span className="block truncate font-medium">{f.filename}</span>
              <span className="block text-xs text-slate-500 dark:text-slate-400">{formatBytes(f.size)}</span>
            </span>
          </a>
        </li>
      ))}
    </ul>
  );
}

import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { cn } from "@/components/ui/cn";
import type { AttachmentDto, MessageDto } from "@/lib/dal/ticket-dto";
import { AttachmentList } from "./attachment-list";
import { MessageMarkdown } from "./markdown";

/**
 * The conversation, oldest first: the request itself, then the messages.
 * Internal notes only ever arrive here in the staff view (the DAL leaves
 * them out for requesters); they are drawn yellow and labelled so an agent
 * never mistakes one for a reply. Texts render as safe Markdown (no HTML).
 * `unseen` marks messages that arrived while the page was open and that the
 * reader has not scrolled to yet.
 */
export function Conversation({
  request,
  messages,
  unseen = [],
}: {
  request: { author: string; description: string; createdAt: string; attachments: AttachmentDto[] };
  messages: MessageDto[];
  unseen?: string[];
}) {
  return (
    <ol className="space-y-4" aria-label="Conversation">
      <li data-testid="message" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
        <MessageHeader name={request.author} at={request.createdAt} />
        <MessageMarkdown text={request.description} className="mt-2 space-y-2 break-words text-sm" />
        <AttachmentList files={request.attachments} />
      </li>
      {messages.map((m) =>
        m.isAutomated ? (
          <li key={m.id} data-testid="event" data-internal={m.isInternal} className="flex flex-wrap items-center justify-center gap-2 text-center text-xs text-slate-600 dark:text-slate-400">
            {m.isInternal ? <Badge tone="warning">Internal</Badge> : null}
            <span>{m.message}</span>
            <span aria-hidden="true">·</span>
            <DateTime value={m.createdAt} />
          </li>
        ) : (
          <li
            key={m.id}
            id={`message-${m.id}`}
            tabIndex={-1}
            data-testid="message"
            data-internal={m.isInternal}
            data-new={unseen.includes(m.id) || undefined}
            className={cn(
              "rounded-lg border p-4",
              m.isInternal
                ? "border-amber-300 bg-amber-50 dark:border-amber-700 dark:bg-amber-950/40"
                : m.author?.isStaff
                  ? "border-sky-200 bg-sky-50/60 dark:border-sky-900 dark:bg-sky-950/30"
                  : "border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900",
            )}
          >
            <MessageHeader
              name={m.author?.name ?? "Deleted account"}
              at={m.createdAt}
              badge={
                <>
                  {m.isInternal ? <Badge tone="warning">Internal note</Badge> : m.author?.isStaff ? <Badge tone="info">Support</Badge> : null}
                  {unseen.includes(m.id) ? <Badge tone="success">New</Badge> : null}
                </>
              }
            />
            <MessageMarkdown text={m.message} className="mt-2 space-y-2 break-words text-sm" />
            <AttachmentList files={m.attachments} />
          </li>
        ),
      )}
    </ol>
  );
}

function MessageHeader({ name, at, badge }: { name: string; at: string; badge?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
      <span className="font-semibold">{name}</span>
      {badge}
      <span className="text-xs text-slate-600 dark:text-slate-400">
        <DateTime value={at} />
      </span>
    </div>
  );
}

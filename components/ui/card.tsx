import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";

/** A panel of a page; its look is `.card` in app/globals.css (one class instead of a dozen utilities on every card). */
export function Card({ className, ...props }: ComponentProps<"section">) {
  return (
    <section
      className={cn("card", className)}
      {...props}
    />
  );
}

export function CardHeader({ title, description, actions }: { title: ReactNode; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="card-header">
      <div className="min-w-0">
        <h2 className="text-base font-semibold">{title}</h2>
        {description ? <p className="mt-0.5 text-sm text-slate-600 dark:text-slate-400">{description}</p> : null}
      </div>
      {actions ? <div className="flex shrink-0 flex-wrap gap-2">{actions}</div> : null}
    </div>
  );
}

export function CardBody({ className, ...props }: ComponentProps<"div">) {
  return <div className={cn("px-4 py-4 sm:px-6", className)} {...props} />;
}

"use client";

import { ErrorView, type ErrorProps } from "@/components/ui/error-view";

export default function ErrorPage(props: ErrorProps) {
  return <ErrorView {...props} />;
}

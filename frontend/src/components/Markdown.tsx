import { useMemo } from "react";
import "katex/dist/katex.min.css";
import { renderMarkdown } from "./markdown";

export function Markdown({ source, className }: { source: string; className?: string }) {
  const html = useMemo(() => renderMarkdown(source), [source]);
  return <div className={`markdown ${className ?? ""}`} dangerouslySetInnerHTML={{ __html: html }} />;
}

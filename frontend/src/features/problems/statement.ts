/** Statements usually open with `# Name`; the page header already shows it. */
export function withoutTitle(markdown: string): string {
  return markdown.replace(/^\s*#\s[^\n]*\n/, "");
}

/**
 * Statement rendering: Markdown with KaTeX math and highlighted code blocks.
 * Raw HTML in statements is disabled, so instructor text cannot inject script.
 */

import markdownItKatex from "@vscode/markdown-it-katex";
import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import cpp from "highlight.js/lib/languages/cpp";
import json from "highlight.js/lib/languages/json";
import plaintext from "highlight.js/lib/languages/plaintext";
import python from "highlight.js/lib/languages/python";
import MarkdownIt from "markdown-it";

hljs.registerLanguage("python", python);
hljs.registerLanguage("cpp", cpp);
hljs.registerLanguage("bash", bash);
hljs.registerLanguage("json", json);
hljs.registerLanguage("plaintext", plaintext);

const md = new MarkdownIt({
  html: false,
  linkify: true,
  typographer: false,
  highlight(code, lang): string {
    const language = lang && hljs.getLanguage(lang) ? lang : null;
    const body = language ? hljs.highlight(code, { language, ignoreIllegals: true }).value : md.utils.escapeHtml(code);
    return `<pre class="hljs"><code${language ? ` class="language-${language}"` : ""}>${body}</code></pre>`;
  },
});
md.use(markdownItKatex, { throwOnError: false });

export function renderMarkdown(source: string): string {
  return md.render(source);
}

export function highlightCode(code: string, language: string): string {
  const lang = language.toLowerCase().includes("py") ? "python" : language.toLowerCase().includes("c") ? "cpp" : null;
  return lang ? hljs.highlight(code, { language: lang, ignoreIllegals: true }).value : md.utils.escapeHtml(code);
}

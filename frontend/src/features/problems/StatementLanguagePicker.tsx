/**
 * The statement's language, for problems whose package has statement.<lang>.md files.
 * Hidden when there is only one language: a one-option select is noise.
 */
import { useId } from "react";

/** A language code as people read it ("Deutsch (de)"), falling back to the bare code. */
export function languageLabel(code: string): string {
  try {
    const name = new Intl.DisplayNames([code], { type: "language" }).of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

export function StatementLanguagePicker({
  languages,
  value,
  onChange,
}: {
  languages: string[];
  value: string;
  onChange: (lang: string) => void;
}) {
  const id = useId();
  if (languages.length < 2) return null;
  return (
    <div className="statement-language">
      <label htmlFor={id}>Statement language</label>{" "}
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {languages.map((code) => (
          <option key={code} value={code} lang={code}>
            {languageLabel(code)}
          </option>
        ))}
      </select>
    </div>
  );
}

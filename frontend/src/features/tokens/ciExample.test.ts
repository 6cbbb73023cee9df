import { describe, expect, it } from "vitest";
import { ciExample } from "./ciExample";

describe("ciExample", () => {
  const text = ciExample({
    origin: "https://grade.example.org",
    token: "gbx_secret",
    problem: "largest-connected-region",
    language: "cpp",
    file: "solution.cpp",
  });

  it("names the server, problem, language and file in every variant", () => {
    expect(text).toContain("export GRADEBOX_URL=https://grade.example.org");
    expect(text).toContain(
      "gradebox submit --problem largest-connected-region --language cpp solution.cpp --junit report.xml",
    );
    expect(text).toContain('"problem": "largest-connected-region", "language": "cpp", "source": open("solution.cpp")');
    expect(text).toContain('"$GRADEBOX_URL/api/v1/submissions?wait=60"');
  });

  it("reads the token from a CI secret, printing the secret only in the local try-it line", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: GitHub Actions syntax, not a JS template
    expect(text).toContain("GRADEBOX_TOKEN: ${{ secrets.GRADEBOX_TOKEN }}");
    expect(text.split("gbx_secret")).toHaveLength(2);
    expect(text.trimEnd().split("\n").at(-1)).toContain("GRADEBOX_TOKEN=gbx_secret");
  });
});

// @vitest-environment jsdom
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { ValidationReport } from "../../api/models";
import { ReportView, reportLabel } from "./ReportView";

afterEach(cleanup);

describe("reportLabel", () => {
  it("reads snake_case keys as words and moves a _ms suffix into a unit", () => {
    expect(reportLabel("slowest_accepted_ms")).toBe("slowest accepted (ms)");
    expect(reportLabel("generators_deterministic")).toBe("generators deterministic");
    expect(reportLabel("ok")).toBe("as expected");
    expect(reportLabel("seconds")).toBe("validation took (s)");
  });
});

describe("ReportView", () => {
  it("shows the verdict, the diagnostics with where they point, and the solution that failed", () => {
    const report: ValidationReport = {
      package: "p",
      ok: false,
      tests: 4,
      seconds: 1.5,
      errors: [{ severity: "error", message: "got WA", file: "submissions/accepted/a.py" }],
      warnings: [],
      solutions: [
        {
          path: "accepted/a.py",
          language: "python",
          expected: "AC",
          got: "WA",
          ok: false,
          message: "expected AC, got WA",
          score: 0,
          max_score: 1,
          slowest_ms: 12,
          slowest_test: "sample/01",
        },
        {
          path: "accepted/b.py",
          language: "python",
          expected: "AC",
          got: "AC",
          ok: true,
          message: "",
          score: 1,
          max_score: 1,
          slowest_ms: 10,
          slowest_test: "sample/01",
        },
      ],
      generators_deterministic: null,
    };
    const { container } = render(<ReportView report={report} />);
    expect(screen.getByText("Package is invalid")).toBeTruthy();
    expect(screen.getByText("submissions/accepted/a.py: got WA")).toBeTruthy();
    const failed = container.querySelectorAll("tr.failed-row");
    expect(failed).toHaveLength(1);
    expect(failed[0]?.textContent).toContain("expected AC, got WA");
    expect(container.querySelector("[data-verdict='WA']")).toBeTruthy();
    expect(screen.queryByText(/generators deterministic/)).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { reportLabel } from "./ReportView";

describe("reportLabel", () => {
  it("reads snake_case keys as words and moves a _ms suffix into a unit", () => {
    expect(reportLabel("slowest_accepted_ms")).toBe("slowest accepted (ms)");
    expect(reportLabel("generators_deterministic")).toBe("generators deterministic");
    expect(reportLabel("ok")).toBe("as expected");
    expect(reportLabel("seconds")).toBe("validation took (s)");
  });
});

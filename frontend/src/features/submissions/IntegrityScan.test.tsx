// @vitest-environment jsdom
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { IntegrityScan } from "./SubmissionPage";

afterEach(cleanup);

describe("IntegrityScan", () => {
  it("lists the kernel scan's findings for an instructor", () => {
    const why = "a side stream: work the timed stream's events do not see";
    render(<IntegrityScan findings={[{ line: 2, rule: "kernel:streams", name: "torch.cuda.Stream", why }]} />);
    const row = screen.getByText("torch.cuda.Stream").closest("tr");
    expect(row?.textContent).toContain("kernel:streams");
    expect(row?.textContent).toContain(why);
  });

  it("shows nothing when the API sent no scan (a learner's view)", () => {
    render(<IntegrityScan findings={null} />);
    expect(screen.queryByTestId("integrity-scan")).toBeNull();
  });
});

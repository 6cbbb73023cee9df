// @vitest-environment jsdom
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { StatusBadge, SubmissionStateBadge, VerdictBadge, verdictTone } from "./VerdictBadge";

afterEach(cleanup);

describe("VerdictBadge", () => {
  it("shows the short verdict, its full name for assistive tech and hover, and a tone", () => {
    render(<VerdictBadge verdict="WA" />);
    const badge = screen.getByTitle("Wrong answer");
    expect(badge.textContent).toBe("WA (Wrong answer)");
    expect(badge.className).toContain("tone-bad");
    expect(badge.dataset.verdict).toBe("WA");
  });

  it("colours accepted good, limits as warnings and judge errors neutral", () => {
    expect(verdictTone("AC")).toBe("good");
    expect(verdictTone("TLE")).toBe("warn");
    expect(verdictTone("MLE")).toBe("warn");
    expect(verdictTone("CE")).toBe("bad");
    expect(verdictTone("IE")).toBe("neutral");
  });

  it("renders a dash when there is no verdict yet and keeps unknown verdicts readable", () => {
    const { container } = render(<VerdictBadge verdict={null} />);
    expect(container.textContent).toBe("—");
    cleanup();
    render(<VerdictBadge verdict="XYZ" />);
    expect(screen.getByTitle("XYZ").className).toContain("tone-neutral");
  });

  it("shows progress before judging and the verdict after", () => {
    const { container, rerender } = render(<SubmissionStateBadge status="running" verdict={null} />);
    expect(container.textContent).toBe("Running");
    expect(container.querySelector(".spinner")).not.toBeNull();
    rerender(<SubmissionStateBadge status="judged" verdict="AC" />);
    expect(container.textContent).toContain("AC");
    expect(container.querySelector(".spinner")).toBeNull();
  });

  it("labels the queued state", () => {
    render(<StatusBadge status="queued" />);
    expect(screen.getByText("Queued").dataset.status).toBe("queued");
  });
});

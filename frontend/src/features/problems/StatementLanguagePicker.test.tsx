// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { StatementLanguagePicker } from "./StatementLanguagePicker";

afterEach(cleanup);

describe("StatementLanguagePicker", () => {
  it("offers every language under an accessible label and reports the choice", () => {
    const onChange = vi.fn();
    render(<StatementLanguagePicker languages={["de", "en"]} value="en" onChange={onChange} />);
    const select = screen.getByLabelText("Statement language") as HTMLSelectElement;
    expect(select.value).toBe("en");
    expect(Array.from(select.options).map((o) => o.value)).toEqual(["de", "en"]);
    fireEvent.change(select, { target: { value: "de" } });
    expect(onChange).toHaveBeenCalledWith("de");
  });

  it("is not shown for a problem with one statement language", () => {
    render(<StatementLanguagePicker languages={["en"]} value="en" onChange={() => {}} />);
    expect(screen.queryByLabelText("Statement language")).toBeNull();
  });
});

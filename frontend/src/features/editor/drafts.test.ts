// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from "vitest";
import { clearDraft, type DraftStorage, draftKey, loadDraft, loadLanguage, saveDraft, saveLanguage } from "./drafts";

class MemoryStorage implements DraftStorage {
  items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

const broken: DraftStorage = {
  getItem: () => {
    throw new Error("SecurityError");
  },
  setItem: () => {
    throw new Error("QuotaExceededError");
  },
  removeItem: () => {
    throw new Error("SecurityError");
  },
};

describe("drafts", () => {
  let storage: MemoryStorage;
  beforeEach(() => {
    storage = new MemoryStorage();
  });

  it("keeps one draft per problem and language", () => {
    saveDraft("p1", "python", "print(1)", "", storage);
    saveDraft("p1", "cpp", "int main(){}", "", storage);
    saveDraft("p2", "python", "print(2)", "", storage);
    expect(loadDraft("p1", "python", storage)).toBe("print(1)");
    expect(loadDraft("p1", "cpp", storage)).toBe("int main(){}");
    expect(loadDraft("p2", "python", storage)).toBe("print(2)");
    expect(loadDraft("p2", "cpp", storage)).toBeNull();
    expect(draftKey("p1", "cpp")).toBe("gradebox:draft:p1:cpp");
  });

  it("drops a draft equal to the template so template updates show", () => {
    saveDraft("p", "python", "edited", "def f(): pass", storage);
    expect(loadDraft("p", "python", storage)).toBe("edited");
    saveDraft("p", "python", "def f(): pass", "def f(): pass", storage);
    expect(loadDraft("p", "python", storage)).toBeNull();
  });

  it("clears a draft", () => {
    saveDraft("p", "python", "x", "", storage);
    clearDraft("p", "python", storage);
    expect(loadDraft("p", "python", storage)).toBeNull();
  });

  it("remembers the last language per problem", () => {
    expect(loadLanguage("p", storage)).toBeNull();
    saveLanguage("p", "cpp", storage);
    expect(loadLanguage("p", storage)).toBe("cpp");
  });

  it("survives storage that throws (disabled or full)", () => {
    expect(() => saveDraft("p", "python", "x", "", broken)).not.toThrow();
    expect(loadDraft("p", "python", broken)).toBeNull();
    expect(() => clearDraft("p", "python", broken)).not.toThrow();
    expect(loadLanguage("p", broken)).toBeNull();
  });

  it("uses window.localStorage by default", () => {
    window.localStorage.clear();
    saveDraft("q", "python", "y", undefined);
    expect(window.localStorage.getItem("gradebox:draft:q:python")).toBe("y");
    expect(loadDraft("q", "python")).toBe("y");
  });
});

/**
 * Drafts live in localStorage, one per problem and language, so switching
 * language or reloading never loses work. Storage can be full or disabled
 * (private windows, quotas): every access degrades to "no draft", never a crash.
 */
export type DraftStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

const PREFIX = "gradebox:draft:";
const LANG_PREFIX = "gradebox:lang:";

export function draftKey(slug: string, language: string): string {
  return `${PREFIX}${slug}:${language}`;
}

function defaultStorage(): DraftStorage | null {
  try {
    return typeof window === "undefined" ? null : window.localStorage;
  } catch {
    return null;
  }
}

export function loadDraft(slug: string, language: string, storage = defaultStorage()): string | null {
  try {
    return storage?.getItem(draftKey(slug, language)) ?? null;
  } catch {
    return null;
  }
}

/** Saves `source`; a draft equal to the starter template is removed, so template updates reach the learner. */
export function saveDraft(
  slug: string,
  language: string,
  source: string,
  template: string | undefined,
  storage = defaultStorage(),
): void {
  try {
    if (source === (template ?? "")) storage?.removeItem(draftKey(slug, language));
    else storage?.setItem(draftKey(slug, language), source);
  } catch {
    /* quota exceeded or storage disabled: the editor still holds the text */
  }
}

export function clearDraft(slug: string, language: string, storage = defaultStorage()): void {
  try {
    storage?.removeItem(draftKey(slug, language));
  } catch {
    /* ignore */
  }
}

export function loadLanguage(slug: string, storage = defaultStorage()): string | null {
  try {
    return storage?.getItem(`${LANG_PREFIX}${slug}`) ?? null;
  } catch {
    return null;
  }
}

export function saveLanguage(slug: string, language: string, storage = defaultStorage()): void {
  try {
    storage?.setItem(`${LANG_PREFIX}${slug}`, language);
  } catch {
    /* ignore */
  }
}

/**
 * CodeMirror 6 wrapped as a controlled-ish React component. The view is created
 * once; language, theme and content changes go through compartments and
 * transactions so the cursor and undo history survive re-renders.
 */

import { indentWithTab } from "@codemirror/commands";
import { cpp } from "@codemirror/lang-cpp";
import { python } from "@codemirror/lang-python";
import { Compartment, EditorState, type Extension } from "@codemirror/state";
import { oneDark } from "@codemirror/theme-one-dark";
import { EditorView, keymap } from "@codemirror/view";
import { basicSetup } from "codemirror";
import { useEffect, useRef } from "react";
import { usePrefersDark } from "./usePrefersDark";

function languageExtension(mode: string): Extension {
  const m = mode.toLowerCase();
  if (m.includes("c++") || m.includes("cpp") || m === "c" || m.includes("cuda")) return cpp();
  if (m.includes("py")) return python();
  return [];
}

interface Props {
  value: string;
  mode: string;
  onChange: (value: string) => void;
  onSubmit?: () => void;
  label: string;
}

export function CodeEditor({ value, mode, onChange, onSubmit, label }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const language = useRef(new Compartment());
  const theme = useRef(new Compartment());
  const callbacks = useRef({ onChange, onSubmit });
  callbacks.current = { onChange, onSubmit };
  const dark = usePrefersDark();

  // biome-ignore lint/correctness/useExhaustiveDependencies: the view is built once; the effects below apply later changes
  useEffect(() => {
    if (!host.current) return;
    const submitKeys = keymap.of([
      {
        key: "Mod-Enter",
        preventDefault: true,
        run: () => {
          callbacks.current.onSubmit?.();
          return true;
        },
      },
    ]);
    const created = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          submitKeys,
          basicSetup,
          keymap.of([indentWithTab]),
          language.current.of(languageExtension(mode)),
          theme.current.of(dark ? oneDark : []),
          EditorView.contentAttributes.of({ "aria-label": label }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) callbacks.current.onChange(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = created;
    return () => {
      created.destroy();
      view.current = null;
    };
    // Created once; later prop changes are applied by the effects below.
  }, []);

  useEffect(() => {
    view.current?.dispatch({ effects: language.current.reconfigure(languageExtension(mode)) });
  }, [mode]);

  useEffect(() => {
    view.current?.dispatch({ effects: theme.current.reconfigure(dark ? oneDark : []) });
  }, [dark]);

  useEffect(() => {
    const current = view.current;
    if (current && current.state.doc.toString() !== value) {
      current.dispatch({ changes: { from: 0, to: current.state.doc.length, insert: value } });
    }
  }, [value]);

  return <div className="code-editor" ref={host} data-testid="code-editor" />;
}

/**
 * One sample, readable: text as text; tensors and function arguments as arrays with
 * their shape, dtype and a NumPy-style preview (the API elides large ones in the
 * middle), a download of the file (.npz) or of each array (.npy), and "Copy as
 * Python", a snippet that builds the inputs.
 */
import { useState } from "react";
import { API_PREFIX } from "../../api/client";
import type { Sample, SampleArray, SamplePart } from "../../api/models";

export function sampleStem(name: string): string {
  return name.replace(/^.*\//, "");
}

function downloadUrl(slug: string, sample: string, side: "input" | "output", array?: string): string {
  const base = `${API_PREFIX}/problems/${encodeURIComponent(slug)}/samples/${encodeURIComponent(sampleStem(sample))}/${side}`;
  return array ? `${base}?array=${encodeURIComponent(array)}` : base;
}

export function formatShape(shape: number[]): string {
  return shape.length === 0 ? "scalar" : `(${shape.join(", ")}${shape.length === 1 ? "," : ""})`;
}

function ArrayView({ array, href }: { array: SampleArray; href?: string }) {
  return (
    <div className="sample-array" data-array={array.name}>
      <div className="array-head">
        <code className="array-name">{array.name}</code>
        <span className="array-meta">
          shape <code data-testid="shape">{formatShape(array.shape)}</code> · <code>{array.dtype}</code>
        </span>
        {href && array.shape.length > 0 && (
          <a className="link-button" href={href} download>
            .npy
          </a>
        )}
      </div>
      <pre className="array-values">{array.preview}</pre>
    </div>
  );
}

function PartView({
  slug,
  sample,
  side,
  part,
}: {
  slug: string;
  sample: string;
  side: "input" | "output";
  part: SamplePart;
}) {
  if (part.format === "npz") {
    return (
      <div className="sample-arrays" data-format="npz">
        {(part.arrays ?? []).map((a) => (
          <ArrayView key={a.name} array={a} href={downloadUrl(slug, sample, side, a.name)} />
        ))}
        <a className="link-button" href={downloadUrl(slug, sample, side)} download data-testid={`download-${side}`}>
          Download {side} (.npz, {part.size.toLocaleString("en")} bytes)
        </a>
      </div>
    );
  }
  if (part.format === "json" && (part.arrays ?? []).length > 0) {
    return (
      <div className="sample-arrays" data-format="json">
        {(part.arrays ?? []).map((a) => (
          <ArrayView key={a.name} array={a} />
        ))}
        <details>
          <summary>As JSON</summary>
          <pre>{part.text}</pre>
        </details>
      </div>
    );
  }
  if (part.format === "binary") {
    return <p className="sample-binary muted">Binary data ({part.size.toLocaleString("en")} bytes).</p>;
  }
  return <pre>{part.text}</pre>;
}

export function SampleView({ slug, sample }: { slug: string; sample: Sample }) {
  const [copied, setCopied] = useState<"idle" | "done" | "failed">("idle");
  const label = sampleStem(sample.name);
  const copy = () => {
    if (!sample.python) return;
    navigator.clipboard
      .writeText(sample.python)
      .then(() => setCopied("done"))
      .catch(() => setCopied("failed"));
  };
  return (
    <div className="sample" data-sample={sample.name}>
      <div>
        <h3>Sample {label}: input</h3>
        <PartView slug={slug} sample={sample.name} side="input" part={sample.input_view} />
      </div>
      <div>
        <h3>
          Sample {label}: {sample.input_view.format === "text" ? "output" : "expected"}
        </h3>
        <PartView slug={slug} sample={sample.name} side="output" part={sample.output_view} />
      </div>
      {sample.python && (
        <details className="sample-python">
          <summary>Python that builds these inputs</summary>
          <button type="button" className="button secondary small" onClick={copy} data-testid="copy-python">
            {copied === "done" ? "Copied" : copied === "failed" ? "Copy failed: select the text" : "Copy as Python"}
          </button>
          <pre>{sample.python}</pre>
        </details>
      )}
    </div>
  );
}

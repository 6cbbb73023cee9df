/** Kernel submissions: the GPU timing rows (`timing/<M>x<N>-<dtype>`) as one table. */
import type { ShapeHistory, TestResult } from "../../api/models";
import { VerdictBadge } from "../../components/VerdictBadge";

type Feedback = Record<string, unknown>;

function num(f: Feedback, key: string): number | null {
  const v = f[key];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

function ms(v: number | null): string {
  return v === null ? "—" : v < 1 ? `${(v * 1000).toFixed(1)} µs` : `${v.toFixed(3)} ms`;
}

function spread(f: Feedback, key: string): string {
  const v = f[key];
  if (!Array.isArray(v) || v.length !== 2) return "";
  return ` (${ms(Number(v[0]))}–${ms(Number(v[1]))})`;
}

export function timingRows(tests: TestResult[]): TestResult[] {
  return tests.filter((t) => t.group === "timing" && t.name !== "timing/score");
}

/** Against the learner's previous best on this shape (same GPU): "first", or the change. */
export function versusBest(entry: ShapeHistory | undefined): { text: string; trend: string } | null {
  if (!entry) return null;
  if (entry.change === null || entry.previous_best_speedup === null) return { text: "first timing", trend: "first" };
  const pct = entry.change * 100;
  const best = `best ${entry.previous_best_speedup.toFixed(2)}×`;
  if (Math.abs(pct) < 0.05) return { text: `= ${best}`, trend: "same" };
  return pct > 0
    ? { text: `▲ ${pct.toFixed(1)}% vs ${best}`, trend: "improved" }
    : { text: `▼ ${(-pct).toFixed(1)}% vs ${best}`, trend: "regressed" };
}

export function KernelTimingTable({ tests, history }: { tests: TestResult[]; history?: ShapeHistory[] }) {
  const rows = timingRows(tests);
  const byShape = new Map((history ?? []).map((h) => [h.shape, h]));
  const score = tests.find((t) => t.name === "timing/score");
  const scoreValue = score ? num((score.feedback ?? {}) as Feedback, "speedup") : null;
  const gpu = score?.feedback?.gpu ?? rows[0]?.feedback?.gpu;
  return (
    <div className="table-wrap" data-testid="kernel-timing">
      <table className="kernel-timing">
        <caption>
          GPU timing{typeof gpu === "string" ? ` on ${gpu}` : ""}
          {scoreValue !== null && ` · score ${scoreValue.toFixed(3)}× (geometric mean of combined speedups)`}
        </caption>
        <thead>
          <tr>
            <th scope="col">Shape</th>
            <th scope="col">Verdict</th>
            <th scope="col" className="num">
              Forward
            </th>
            <th scope="col" className="num">
              Backward
            </th>
            <th scope="col" className="num">
              Combined (p10–p90)
            </th>
            <th scope="col" className="num">
              Speedup [95% CI]
            </th>
            <th scope="col" className="num">
              GB/s
            </th>
            <th scope="col" className="num">
              % peak
            </th>
            {history && <th scope="col">vs previous best</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => {
            const f = (t.feedback ?? {}) as Feedback;
            const s = num(f, "shape_speedup");
            const ci = Array.isArray(f.speedup_ci) ? (f.speedup_ci as number[]) : null;
            const gbps = num(f, "shape_gbps");
            const pct = num(f, "pct_peak");
            return (
              <tr key={t.name}>
                <th scope="row">{t.name.replace("timing/", "")}</th>
                <td>
                  <VerdictBadge verdict={t.verdict} />
                  {t.message && <span className="test-message">{t.message}</span>}
                </td>
                <td className="num">{ms(num(f, "fwd_ms"))}</td>
                <td className="num">{ms(num(f, "bwd_ms"))}</td>
                <td className="num">
                  {ms(num(f, "combined_ms"))}
                  {spread(f, "combined_spread_ms")}
                </td>
                <td className="num">
                  {s === null ? "—" : `${s.toFixed(2)}×`}
                  {ci && ci.length === 2 && ` [${Number(ci[0]).toFixed(2)}, ${Number(ci[1]).toFixed(2)}]`}
                </td>
                <td className="num">{gbps === null ? "—" : gbps.toFixed(0)}</td>
                <td className="num">{pct === null ? "—" : `${pct.toFixed(1)}%`}</td>
                {history && <BestCell entry={byShape.get(t.name.replace("timing/", ""))} />}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function BestCell({ entry }: { entry: ShapeHistory | undefined }) {
  const versus = versusBest(entry);
  return <td className={versus ? `trend-${versus.trend}` : undefined}>{versus ? versus.text : "—"}</td>;
}

import { useState } from "react";
import { useSearchParams } from "react-router";
import { useProblems, useSubmissions } from "../../api/queries";
import { ErrorBox, Loading } from "../../components/QueryState";
import { Pager } from "../submissions/MySubmissionsPage";
import { SubmissionTable } from "../submissions/SubmissionTable";
import { InstructorGate } from "./InstructorPage";

export function InstructorSubmissionsPage() {
  return (
    <InstructorGate>
      <AllSubmissions />
    </InstructorGate>
  );
}

function AllSubmissions() {
  const [params, setParams] = useSearchParams();
  const problem = params.get("problem") ?? "";
  const user = params.get("user") ?? "";
  const [offset, setOffset] = useState(0);
  const problems = useProblems();
  const list = useSubmissions({ problem: problem || undefined, user: user || undefined, limit: 50, offset });
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setOffset(0);
    setParams(next, { replace: true });
  };
  return (
    <div className="page">
      <h1>All submissions</h1>
      <div className="filters">
        <label>
          Problem{" "}
          <select value={problem} onChange={(e) => set("problem", e.target.value)}>
            <option value="">All problems</option>
            {(problems.data?.data ?? []).map((p) => (
              <option key={p.slug} value={p.slug}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          User <input type="search" value={user} onChange={(e) => set("user", e.target.value)} placeholder="username" />
        </label>
      </div>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorBox error={list.error} retry={() => void list.refetch()} />
      ) : (
        <>
          <SubmissionTable rows={list.data.data} showUser />
          <Pager offset={offset} count={list.data.count} onChange={setOffset} />
        </>
      )}
    </div>
  );
}

import { lazy, Suspense } from "react";
import { Route, Routes } from "react-router";
import { Layout } from "./components/Layout";
import { Loading } from "./components/QueryState";
import { AuthPage } from "./features/auth/AuthPage";
import { AnalyticsPage } from "./features/instructor/AnalyticsPage";
import { InstructorPage } from "./features/instructor/InstructorPage";
import { InstructorSubmissionsPage } from "./features/instructor/InstructorSubmissionsPage";
import { LeaderboardIndexPage, LeaderboardPage } from "./features/leaderboard/LeaderboardPage";
import { ProblemListPage } from "./features/problems/ProblemListPage";
import { MySubmissionsPage } from "./features/submissions/MySubmissionsPage";
import { TokensPage } from "./features/tokens/TokensPage";
import { TrackPage, TracksPage } from "./features/tracks/TrackPages";

// The editor, KaTeX and the highlighter are most of the bundle: load them with the pages that use them.
const ProblemPage = lazy(() => import("./features/problems/ProblemPage").then((m) => ({ default: m.ProblemPage })));
const SubmissionPage = lazy(() =>
  import("./features/submissions/SubmissionPage").then((m) => ({ default: m.SubmissionPage })),
);

export function App() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<ProblemListPage />} />
          <Route path="problems/:slug" element={<ProblemPage />} />
          <Route path="problems/:slug/leaderboard" element={<LeaderboardPage />} />
          <Route path="leaderboards" element={<LeaderboardIndexPage />} />
          <Route path="tracks" element={<TracksPage />} />
          <Route path="tracks/:id" element={<TrackPage />} />
          <Route path="submissions" element={<MySubmissionsPage />} />
          <Route path="submissions/:id" element={<SubmissionPage />} />
          <Route path="login" element={<AuthPage mode="login" />} />
          <Route path="register" element={<AuthPage mode="register" />} />
          <Route path="tokens" element={<TokensPage />} />
          <Route path="instructor" element={<InstructorPage />} />
          <Route path="instructor/submissions" element={<InstructorSubmissionsPage />} />
          <Route path="instructor/analytics" element={<AnalyticsPage />} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Suspense>
  );
}

function NotFound() {
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <a href="/">Back to the problems</a>.
      </p>
    </div>
  );
}

/**
 * Names for the API's shapes, all taken from the schema generated from the
 * backend's OpenAPI document (schema.gen.ts, written by scripts/build-frontend).
 * A backend change that breaks a screen fails `tsc` in the build, not a user.
 */
import type { components } from "./schema.gen";

type Schemas = components["schemas"];

export type Verdict = Schemas["Verdict"];
export type SubmissionStatus = Schemas["SubmissionStatus"];
export type Role = Schemas["Role"];
export type Visibility = Schemas["Visibility"];
export type ProblemType = Schemas["ProblemType"];
export type Difficulty = Schemas["Difficulty"];

export type UserPublic = Schemas["UserPublic"];
export type ProblemSummary = Schemas["ProblemSummary"];
export type ProblemDetail = Schemas["ProblemDetail"];
export type Sample = Schemas["Sample"];
export type Language = Schemas["LanguagePublic"];
export type TestResult = Schemas["TestResult"];
export type GroupResult = Schemas["GroupResult"];
export type SubmissionCreate = Schemas["SubmissionCreate"];
export type SubmissionSummary = Schemas["SubmissionSummary"];
export type SubmissionPublic = Schemas["SubmissionPublic"];
/** The submission event stream: each event name's `data:` payload (`SubmissionEvents`). */
export type SubmissionEvents = Schemas["SubmissionEvents"];
export type StatusEvent = Schemas["StatusEvent"];
export type TokenPublic = Schemas["TokenPublic"];
export type TokenCreated = Schemas["TokenCreated"];
export type Scope = Schemas["Scope"];
export type ProblemVersionPublic = Schemas["ProblemVersionPublic"];

/** List responses (`{data, count}`), as the backend's generic `ListOf[X]` names them. */
export type ProblemList = Schemas["ListOf_ProblemSummary_"];
export type LeaderboardList = Schemas["ListOf_LeaderboardRow_"];
export type SubmissionList = Schemas["ListOf_SubmissionSummary_"];
export type TrackList = Schemas["ListOf_TrackSummary_"];
export type ProblemAnalyticsList = Schemas["ListOf_ProblemAnalytics_"];
export type TokenList = Schemas["ListOf_TokenPublic_"];

export type LeaderboardRow = Schemas["LeaderboardRow"];
export type KernelHistoryList = Schemas["ListOf_KernelHistoryEntry_"];
export type KernelHistoryEntry = Schemas["KernelHistoryEntry"];
export type ShapeHistory = Schemas["ShapeHistory"];

export type SamplePart = Schemas["SamplePart"];
export type SampleArray = Schemas["SampleArray"];
export type ShownData = Schemas["ShownData"];
export type ValidationReport = Schemas["ValidationReport"];
export type Diagnostic = Schemas["Diagnostic"];
export type SolutionReport = Schemas["SolutionReport"];
export type HintCheck = Schemas["HintCheck"];
export type RunCreate = Schemas["RunCreate"];
export type RunPublic = Schemas["RunPublic"];
export type RunTest = Schemas["RunTest"];
export type TrackSummary = Schemas["TrackSummary"];
export type TrackDetail = Schemas["TrackDetail"];
export type ProblemAnalytics = Schemas["ProblemAnalytics"];

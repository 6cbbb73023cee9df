/**
 * The one place the SPA talks HTTP. It exists so every screen gets the same
 * behaviour: cookies always sent, the CSRF cookie echoed on state-changing
 * requests, and every failure turned into an ApiError carrying the API's own
 * message (the error envelope from docs/api.md), never a bare status code.
 */

export const API_PREFIX = "/api/v1";
export const CSRF_COOKIE = "gradebox_csrf";
export const CSRF_HEADER = "X-CSRF-Token";

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details: unknown = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function readCookie(name: string, cookies: string): string | null {
  for (const part of cookies.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      return decodeURIComponent(part.slice(eq + 1).trim());
    }
  }
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Turns any error body into one readable message; the envelope first, FastAPI's `detail` second. */
export function errorFromBody(status: number, statusText: string, body: unknown): ApiError {
  if (isRecord(body) && isRecord(body.error)) {
    const err = body.error;
    const code = typeof err.code === "string" ? err.code : `http_${status}`;
    const message = typeof err.message === "string" && err.message ? err.message : statusText || `HTTP ${status}`;
    return new ApiError(status, code, message, err.details ?? null);
  }
  if (isRecord(body) && body.detail !== undefined) {
    const detail = body.detail;
    if (typeof detail === "string") return new ApiError(status, `http_${status}`, detail, detail);
    if (Array.isArray(detail)) {
      const parts = detail.map((item) => {
        if (!isRecord(item)) return String(item);
        const loc = Array.isArray(item.loc) ? item.loc.filter((p) => p !== "body").join(".") : "";
        const msg = typeof item.msg === "string" ? item.msg : "invalid";
        return loc ? `${loc}: ${msg}` : msg;
      });
      return new ApiError(status, "validation_error", parts.join("; "), detail);
    }
  }
  if (typeof body === "string" && body.trim()) {
    return new ApiError(status, `http_${status}`, body.trim().slice(0, 300));
  }
  return new ApiError(status, `http_${status}`, statusText || `Request failed (HTTP ${status})`);
}

export interface RequestOptions {
  method?: string;
  /** JSON body; serialised and sent with Content-Type application/json. */
  json?: unknown;
  /** Multipart body (file upload); the browser sets the boundary. */
  form?: FormData;
  query?: Record<string, string | number | boolean | null | undefined>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface ClientDeps {
  fetch: typeof fetch;
  cookies: () => string;
}

export function buildUrl(path: string, query?: RequestOptions["query"]): string {
  const url = path.startsWith("/api/") || path.startsWith("http") ? path : `${API_PREFIX}${path}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  const type = response.headers.get("content-type") ?? "";
  if (type.includes("json")) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

export function createClient(deps: ClientDeps) {
  return async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const method = (options.method ?? (options.json !== undefined || options.form ? "POST" : "GET")).toUpperCase();
    const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
    let body: BodyInit | undefined;
    if (options.form) {
      body = options.form;
    } else if (options.json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(options.json);
    }
    if (UNSAFE_METHODS.has(method)) {
      const token = readCookie(CSRF_COOKIE, deps.cookies());
      if (token) headers[CSRF_HEADER] = token;
    }
    let response: Response;
    try {
      response = await deps.fetch(buildUrl(path, options.query), {
        method,
        headers,
        body,
        credentials: "same-origin",
        signal: options.signal,
      });
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
      throw new ApiError(0, "network_error", "Cannot reach the Gradebox server. Check your connection and retry.");
    }
    const parsed = await readBody(response);
    if (!response.ok) throw errorFromBody(response.status, response.statusText, parsed);
    return parsed as T;
  };
}

export const api = createClient({
  fetch: (input, init) => globalThis.fetch(input, init),
  cookies: () => (typeof document === "undefined" ? "" : document.cookie),
});

/** The message to show a person for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

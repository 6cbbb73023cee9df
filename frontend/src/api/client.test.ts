import { describe, expect, it, vi } from "vitest";
import { ApiError, buildUrl, createClient, errorFromBody, readCookie } from "./client";

function jsonResponse(status: number, body: unknown, statusText = ""): Response {
  return new Response(body === null ? null : JSON.stringify(body), {
    status,
    statusText,
    headers: { "content-type": "application/json" },
  });
}

function clientWith(response: Response | (() => Promise<Response>), cookies = "") {
  const fetchMock = vi.fn(typeof response === "function" ? response : () => Promise.resolve(response));
  const request = createClient({ fetch: fetchMock as unknown as typeof fetch, cookies: () => cookies });
  return { request, fetchMock };
}

function headersOf(fetchMock: ReturnType<typeof vi.fn>): Record<string, string> {
  const init = fetchMock.mock.calls[0]?.[1] as RequestInit;
  return init.headers as Record<string, string>;
}

describe("readCookie", () => {
  it("finds a cookie among others and decodes it", () => {
    expect(readCookie("gradebox_csrf", "a=1; gradebox_csrf=x%2By; b=2")).toBe("x+y");
    expect(readCookie("gradebox_csrf", "gradebox_csrf_other=1")).toBeNull();
    expect(readCookie("x", "")).toBeNull();
  });
});

describe("buildUrl", () => {
  it("prefixes the API version and drops empty query values", () => {
    expect(buildUrl("/problems", { tag: "graphs", q: "", user: undefined })).toBe("/api/v1/problems?tag=graphs");
    expect(buildUrl("/submissions", { limit: 50, offset: 0 })).toBe("/api/v1/submissions?limit=50&offset=0");
  });
});

describe("CSRF header", () => {
  it("is sent on POST, PATCH and DELETE from the gradebox_csrf cookie", async () => {
    for (const method of ["POST", "PATCH", "DELETE"]) {
      const { request, fetchMock } = clientWith(
        jsonResponse(200, { ok: true }),
        "gradebox_session=s; gradebox_csrf=tok123",
      );
      await request("/anything", { method, json: {} });
      expect(headersOf(fetchMock)["X-CSRF-Token"]).toBe("tok123");
    }
  });

  it("is not sent on GET, and not invented when the cookie is missing", async () => {
    const get = clientWith(jsonResponse(200, {}), "gradebox_csrf=tok123");
    await get.request("/problems");
    expect(headersOf(get.fetchMock)["X-CSRF-Token"]).toBeUndefined();
    const post = clientWith(jsonResponse(200, {}), "");
    await post.request("/auth/login", { json: { username: "a" } });
    expect(headersOf(post.fetchMock)["X-CSRF-Token"]).toBeUndefined();
  });

  it("sends JSON bodies with a content type and cookies same-origin", async () => {
    const { request, fetchMock } = clientWith(jsonResponse(201, { id: 7 }));
    const result = await request<{ id: number }>("/submissions", {
      json: { a: 1 },
      headers: { "Idempotency-Key": "k" },
    });
    expect(result.id).toBe(7);
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/v1/submissions");
    expect(init.method).toBe("POST");
    expect(init.body).toBe('{"a":1}');
    expect(init.credentials).toBe("same-origin");
    expect(headersOf(fetchMock)["Content-Type"]).toBe("application/json");
    expect(headersOf(fetchMock)["Idempotency-Key"]).toBe("k");
  });

  it("returns null for 204 No Content", async () => {
    const { request } = clientWith(new Response(null, { status: 204 }));
    await expect(request("/auth/logout", { method: "POST" })).resolves.toBeNull();
  });
});

describe("error mapping", () => {
  it("uses the API error envelope's code, message and details", async () => {
    const { request } = clientWith(
      jsonResponse(409, {
        error: { code: "username_taken", message: "That username is taken", details: { field: "username" } },
      }),
    );
    const error = (await request("/auth/register", { json: {} }).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(409);
    expect(error.code).toBe("username_taken");
    expect(error.message).toBe("That username is taken");
    expect(error.details).toEqual({ field: "username" });
  });

  it("reads FastAPI validation details when there is no envelope", () => {
    const error = errorFromBody(422, "Unprocessable Entity", {
      detail: [{ loc: ["body", "password"], msg: "String should have at least 8 characters" }],
    });
    expect(error.code).toBe("validation_error");
    expect(error.message).toBe("password: String should have at least 8 characters");
  });

  it("falls back to text bodies and then the status line", () => {
    expect(errorFromBody(502, "Bad Gateway", "upstream down").message).toBe("upstream down");
    expect(errorFromBody(500, "Internal Server Error", null).message).toBe("Internal Server Error");
    expect(errorFromBody(500, "", null).message).toBe("Request failed (HTTP 500)");
  });

  it("turns a network failure into a readable ApiError with status 0", async () => {
    const { request } = clientWith(() => Promise.reject(new TypeError("Failed to fetch")));
    const error = (await request("/problems").catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(0);
    expect(error.message).toMatch(/Cannot reach/);
  });

  it("keeps a non-JSON error body as the message", async () => {
    const { request } = clientWith(
      new Response("Rate limited", { status: 429, headers: { "content-type": "text/plain" } }),
    );
    await expect(request("/submissions", { json: {} })).rejects.toMatchObject({ status: 429, message: "Rate limited" });
  });
});

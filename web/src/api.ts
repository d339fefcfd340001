// The API, from the same origin. Errors carry the problem's detail for people.
import { lang, type Lang } from "./i18n";

export class ApiError extends Error {
  constructor(public status: number, message: string, public code = "") {
    super(message);
  }
}

export async function getJson<T>(path: string): Promise<T> {
  const r = await fetch(path, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  if (!r.ok) {
    let detail = r.statusText;
    let code = "";
    try {
      const p = await r.json();
      detail = p.detail || p.title || detail;
      code = p.code || "";
    } catch {
      /* not JSON */
    }
    throw new ApiError(r.status, detail, code);
  }
  return (await r.json()) as T;
}

export interface Organisation {
  id: number;
  name: string;
  other_names: string[];
  description: string;
  mission: string;
  language: string | null;
  translations: Record<string, { description: string; mission: string }>;
  legal_form: string | null;
  membership_type: string | null;
  primary_activity: string | null;
  activities: string[];
  network_scope: string | null;
  street: string | null;
  locality: string | null;
  region: string | null;
  postcode: string | null;
  country: string | null;
  latitude: number | null;
  longitude: number | null;
  website: string | null;
  urls: string[];
  email: string | null;
  phone: string | null;
  languages: string[];
  founded_year: number | null;
  status: string;
  members: number | null;
  workers: number | null;
  volunteers: number | null;
  counts_year: number | null;
  sdgs: number[];
  principles: Record<string, number>;
  version: number;
}

// The five SSE principles of the self-assessment, in the order the record lists them.
export const PRINCIPLES = ["purpose", "autonomy", "democracy", "people_before_capital", "participation"] as const;

export interface FacetValue {
  value: string;
  count: number;
}

export interface SearchPage {
  items: Organisation[];
  total: number;
  next_cursor: string | null;
  facets: Record<string, FacetValue[]>;
}

export interface MapPoints {
  total: number;
  legal_forms: string[];
  ids: number[];
  lat: number[];
  lon: number[];
  legal_form: number[];
}

export interface Relationship {
  id: number;
  subject: { id: number; name: string };
  kind: string;
  object: { id: number; name: string };
  role: string | null;
  start_date: string | null;
  end_date: string | null;
  current: boolean;
}

export interface PortraitRow {
  group: string | null;
  organisations: number;
  members: number;
  workers: number;
}

// Vocabulary labels by code, in a language; fetched once per vocabulary and language.
const vocabularies = new Map<string, Promise<Map<string, string>>>();

export function vocabulary(name: string, l: Lang = lang()): Promise<Map<string, string>> {
  const key = `${name}:${l}`;
  let v = vocabularies.get(key);
  if (!v) {
    v = getJson<{ items: { code: string | number; label: string }[] }>(`/api/v1/vocabularies/${name}?lang=${l}`).then(
      (r) => new Map(r.items.map((i) => [String(i.code), i.label])),
    );
    vocabularies.set(key, v);
  }
  return v;
}

// ---------- Signing in, and writing ----------

export interface Session {
  user: { id: number; email: string; is_platform_admin: boolean };
  csrf_token?: string;
  roles: { organisation_id: number; role: "admin" | "editor" | "member" }[];
}

export interface FieldProblem {
  field: string; // a JSON pointer: "/name"
  code: string;
  message: string;
}

export class ProblemError extends ApiError {
  constructor(status: number, message: string, code: string, public fields: FieldProblem[]) {
    super(status, message, code);
  }
}

let session: Session | null = null;

export function currentSession(): Session | null {
  return session;
}

export async function loadSession(): Promise<Session | null> {
  try {
    session = await getJson<Session>("/api/v1/auth/session");
  } catch {
    session = null;
  }
  return session;
}

// Sends JSON with the session's CSRF token; answers the response (and its ETag).
export async function sendJson<T>(method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ body: T; etag: string | null }> {
  const h: Record<string, string> = { "Content-Type": "application/json", Accept: "application/json", ...headers };
  if (session?.csrf_token) h["X-CSRF-Token"] = session.csrf_token;
  const r = await fetch(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin" });
  if (!r.ok) {
    let p: { detail?: string; title?: string; code?: string; errors?: FieldProblem[] } = {};
    try {
      p = await r.json();
    } catch {
      /* not JSON */
    }
    throw new ProblemError(r.status, p.detail || p.title || r.statusText, p.code || "", p.errors || []);
  }
  const text = await r.text();
  return { body: (text ? JSON.parse(text) : null) as T, etag: r.headers.get("ETag") };
}

// Uploads a file as the request's body with the session's CSRF token; a problem comes back
// as a ProblemError (its fields name the file's bad line).
export async function sendFile<T>(path: string, file: Blob, type: string): Promise<T> {
  const headers: Record<string, string> = { "Content-Type": type, Accept: "application/json" };
  if (session?.csrf_token) headers["X-CSRF-Token"] = session.csrf_token;
  const r = await fetch(path, { method: "POST", body: file, headers, credentials: "same-origin" });
  const j = await r.json().catch(() => ({}));
  if (!r.ok) throw new ProblemError(r.status, j.detail || j.title || r.statusText, j.code || "", j.errors || []);
  return j as T;
}

export async function signIn(email: string, password: string): Promise<Session> {
  await sendJson("POST", "/api/v1/auth/sign-in", { email, password });
  const s = await loadSession();
  if (!s) throw new ApiError(401, "no session");
  return s;
}

export async function signOut(): Promise<void> {
  try {
    await sendJson("POST", "/api/v1/auth/sign-out", undefined);
  } finally {
    session = null;
  }
}

// Whether the signed-in user administers organisation `id` (imports into a network).
export function canAdminister(id: number): boolean {
  if (!session) return false;
  return session.user.is_platform_admin || session.roles.some((r) => r.organisation_id === id && r.role === "admin");
}

// Whether the signed-in user may change organisation `id` (the server checks anyway).
export function canEdit(id: number): boolean {
  if (!session) return false;
  if (session.user.is_platform_admin) return true;
  return session.roles.some((r) => r.organisation_id === id && (r.role === "admin" || r.role === "editor"));
}

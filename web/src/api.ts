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
  founded_year: number | null;
  status: string;
  members: number | null;
  workers: number | null;
  volunteers: number | null;
  counts_year: number | null;
  sdgs: number[];
  version: number;
}

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

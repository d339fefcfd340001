// The library in the browser: a publisher's desk (its resources by stage, a new draft),
// a resource's editing page (fields, Markdown with its rendering, the workflow, files,
// history), the public page of a published resource, and the list of resources about an
// organisation for its page. The body's HTML comes rendered and made safe by the server
// (libcmark, no raw HTML, no script links); links in it open as external, untrusted.
import { canAdminister, getJson, ProblemError, sendJson, vocabulary } from "./api";
import { filesSection, type Attachment } from "./files";
import { clearErrors, dataTable, labelledField, showFieldErrors, translatedSelect, type El } from "./forms";
import { hasMessage, lang, t } from "./i18n";

export const TYPES = ["good_practice", "case_study", "training_material", "policy", "research", "toolkit"];
const STAGES = ["draft", "in_review", "published", "archived"];
// The languages offered first in forms; any ISO 639-1 code is accepted.
const LANGUAGES = ["en", "fr", "es", "pt", "it", "de", "ca", "eu", "ar", "sw", "wo", "qu"];

interface Ref { id: number; name: string }
interface Translation { id: number; language: string; title: string; stage: string }
export interface Resource {
  id: number; publisher: Ref; type: string; title: string; summary: string; language: string; themes: string[]; sdgs: number[];
  countries: string[]; stage: string; version: number; created_at: string; updated_at: string; published_at: string | null;
  body?: string; body_html?: string; organisations?: Ref[]; translations?: Translation[]; attachments?: Attachment[];
}
interface Theme { code: string; standard: boolean; labels: Record<string, string> }
interface Step { n: number; at: string; user: string; action: string; stage: string; note: string; changes: Record<string, { from: unknown; to: unknown }> }

function languageName(code: string): string {
  try {
    return new Intl.DisplayNames([lang()], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}
function regionName(code: string): string {
  try {
    return new Intl.DisplayNames([lang()], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}
function themeLabel(themes: Theme[], code: string): string {
  const th = themes.find((x) => x.code === code);
  if (th?.standard || !th) return hasMessage(`lib.theme.${code}`) ? t(`lib.theme.${code}`) : code;
  return th.labels[lang()] ?? th.labels.en ?? Object.values(th.labels)[0] ?? code;
}

// The server's rendering of the body, its links marked as external and untrusted.
export function renderedBody(el: El, html: string): HTMLElement {
  const box = el("div", { class: "markdown", id: "resource-body" });
  box.innerHTML = html;  // made safe by the server: no raw HTML, no script URLs
  for (const a of box.querySelectorAll("a")) a.setAttribute("rel", "noopener noreferrer nofollow ugc");
  return box;
}

// ---- a publisher's desk

export async function libraryDeskPage(main: HTMLElement, el: El, navigate: (path: string) => void, org: number, notice = ""): Promise<void> {
  const base = `/api/v1/organisations/${org}/library/resources`;
  const stageFilter = new URLSearchParams(location.search).get("stage") ?? "";
  const [o, list] = await Promise.all([getJson<{ name: string }>(`/api/v1/organisations/${org}`),
    getJson<{ items: Resource[] }>(`${base}?limit=200${stageFilter ? `&stage=${stageFilter}` : ""}`)]);
  document.title = `${t("lib.desk")} · ${o.name} · Solidum`;

  const filter = el("select", { id: "library-stage" }, el("option", { value: "" }, t("lib.allStages")),
    ...STAGES.map((s) => el("option", { value: s }, t(`lib.stage.${s}`))));
  filter.value = stageFilter;
  filter.addEventListener("change", () => navigate(`/organisations/${org}/library${filter.value ? `?stage=${filter.value}` : ""}`));
  const rows = list.items.map((r) => [
    el("a", { href: `/organisations/${org}/library/${r.id}`, "data-link": "" }, r.title), t(`lib.type.${r.type}`), languageName(r.language),
    el("span", { class: `stage stage-${r.stage}` }, t(`lib.stage.${r.stage}`)), r.updated_at.slice(0, 10)]);
  const table = rows.length ? dataTable(el, "library-resources", ["lib.col.title", "lib.col.type", "lib.col.language", "lib.col.stage", "lib.col.updated"], rows)
                            : el("p", {}, t("lib.none"));

  // A new draft: what it is, its title and language; the rest on its page.
  const type = translatedSelect(el, TYPES, "lib.type.");
  const title = el("input", { type: "text", maxlength: "300", required: "", autocomplete: "off" });
  const language = languageSelect(el, lang());
  const status = el("p", { "aria-live": "polite", class: "form-status" });
  const form = el("form", { class: "form", id: "new-resource" }, el("h2", {}, t("lib.new")),
    labelledField(el, "lib.field.", "type", type, "", "new-type"), labelledField(el, "lib.field.", "title", title, "", "new-title"),
    labelledField(el, "lib.field.", "language", language, "", "new-language"), el("button", { type: "submit" }, t("lib.create")), status);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    try {
      const { body } = await sendJson<Resource>("POST", base, { type: type.value, title: title.value, language: language.value });
      navigate(`/organisations/${org}/library/${body.id}`);
    } catch (err) {
      if (!(err instanceof ProblemError)) throw err;
      if (!showFieldErrors(form, err, (p) => `new-${p[0]}`)?.focus()) status.textContent = err.message;
    }
  });
  main.replaceChildren(el("p", {}, el("a", { href: `/organisations/${org}`, "data-link": "" }, `← ${o.name}`)),
    el("h1", {}, t("lib.desk")), el("p", { class: "intro" }, t("lib.deskIntro")), el("p", { role: "status" }, notice),
    el("p", {}, el("label", { for: "library-stage" }, t("lib.showStage")), " ", filter), table, form);
}

function languageSelect(el: El, current: string): HTMLSelectElement {
  const s = el("select");
  const codes = LANGUAGES.includes(current) ? LANGUAGES : [current, ...LANGUAGES];
  for (const c of codes) s.append(el("option", { value: c }, `${languageName(c)} (${c})`));
  s.value = current;
  return s;
}

// ---- a resource's page for its publisher

export async function resourceEditPage(main: HTMLElement, el: El, org: number, rid: number, notice = ""): Promise<void> {
  const path = `/api/v1/organisations/${org}/library/resources/${rid}`;
  const [r, themes, history, sdgNames] = await Promise.all([getJson<Resource>(path), getJson<{ items: Theme[] }>("/api/v1/library/themes"),
    getJson<{ items: Step[] }>(`${path}/history`), vocabulary("sdgs")]);
  const reload = (message = "") => resourceEditPage(main, el, org, rid, message);
  const reviewer = canAdminister(org);
  const editable = r.stage === "draft" || r.stage === "in_review" || (r.stage === "published" && reviewer);
  const ifMatch = { "If-Match": `"v${r.version}"` };
  document.title = `${r.title} · Solidum`;
  const status = el("p", { role: "status", id: "resource-status" }, notice);

  // The fields.
  const type = translatedSelect(el, TYPES, "lib.type.");
  type.value = r.type;
  const title = el("input", { type: "text", maxlength: "300", required: "", value: r.title });
  const language = languageSelect(el, r.language);
  const summary = el("textarea", { rows: "3", maxlength: "2000" });
  summary.value = r.summary;
  const body = el("textarea", { rows: "16", maxlength: "100000", class: "markdown-source", spellcheck: "true" });
  body.value = r.body ?? "";
  const themeBoxes = el("fieldset", { id: "field-themes", class: "checks" }, el("legend", {}, t("lib.field.themes")),
    ...themes.items.map((th) => el("label", { class: "check" },
      el("input", { type: "checkbox", value: th.code, ...(r.themes.includes(th.code) ? { checked: "" } : {}) }), ` ${themeLabel(themes.items, th.code)}`)),
    el("p", { class: "field-error", id: "error-themes", hidden: "" }));
  const sdgBoxes = el("fieldset", { id: "field-sdgs", class: "checks sdgs" }, el("legend", {}, t("lib.field.sdgs")),
    ...Array.from({ length: 17 }, (_, i) => i + 1).map((n) => el("label", { class: "check", title: sdgNames.get(String(n)) ?? "" },
      el("input", { type: "checkbox", value: String(n), ...(r.sdgs.includes(n) ? { checked: "" } : {}) }), ` ${n}`)),
    el("p", { class: "field-error", id: "error-sdgs", hidden: "" }));
  const countries = el("input", { type: "text", value: r.countries.join(", "), autocomplete: "off", "aria-describedby": "hint-countries" });
  const organisations = el("input", { type: "text", value: (r.organisations ?? []).map((o) => o.id).join(", "), autocomplete: "off" });
  const translationOf = el("input", { type: "number", min: "1", autocomplete: "off" });
  const field = (name: string, control: HTMLElement, hint = "") => labelledField(el, "lib.field.", name, control, hint);
  const form = el("form", { class: "form", id: "resource-form" },
    field("type", type), field("title", title), field("language", language), field("summary", summary),
    field("body", body, t("lib.hint.body")), themeBoxes, sdgBoxes, field("countries", countries, t("lib.hint.countries")),
    field("organisations", organisations, (r.organisations ?? []).map((o) => o.name).join(", ") || t("lib.hint.organisations")),
    field("translation_of", translationOf, t("lib.hint.translation")),
    el("button", { type: "submit" }, t("lib.save")));
  if (!editable) for (const c of form.querySelectorAll<HTMLInputElement>("input, select, textarea, button")) c.disabled = true;
  const list = (s: string) => s.split(",").map((x) => x.trim()).filter((x) => x);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    status.textContent = "";
    const changes: Record<string, unknown> = {
      type: type.value, title: title.value, language: language.value, summary: summary.value, body: body.value,
      themes: [...themeBoxes.querySelectorAll<HTMLInputElement>("input:checked")].map((x) => x.value),
      sdgs: [...sdgBoxes.querySelectorAll<HTMLInputElement>("input:checked")].map((x) => Number(x.value)),
      countries: list(countries.value), organisations: list(organisations.value).map(Number),
    };
    if (translationOf.value) changes.translation_of = Number(translationOf.value);
    try {
      await sendJson("PATCH", path, changes, ifMatch);
      await reload(t("lib.saved"));
    } catch (err) {
      if (!(err instanceof ProblemError)) throw err;
      const focus = showFieldErrors(form, err, (p) => p[0]);
      if (!focus) status.textContent = hasMessage(`lib.error.${err.code}`) ? t(`lib.error.${err.code}`) : err.message;
      focus?.focus();
    }
  });

  // The workflow: what this user may do from here.
  const note = el("textarea", { rows: "2", maxlength: "2000", id: "field-note" });
  const moves: [string, string][] = [];
  if (r.stage === "draft") moves.push(["in_review", "lib.toReview"]);
  if (r.stage === "in_review") moves.push(["draft", reviewer ? "lib.sendBack" : "lib.takeBack"]);
  if (reviewer && r.stage === "in_review") moves.push(["published", "lib.publish"]);
  if (reviewer && r.stage === "published") moves.push(["draft", "lib.unpublish"], ["archived", "lib.archive"]);
  if (reviewer && r.stage === "draft") moves.push(["archived", "lib.archive"]);
  if (reviewer && r.stage === "archived") moves.push(["draft", "lib.restore"]);
  const workflow = el("section", { id: "workflow" }, el("h2", {}, t("lib.workflow")),
    el("p", {}, t("lib.stageNow"), " ", el("strong", { id: "resource-stage" }, t(`lib.stage.${r.stage}`))));
  if (moves.length) {
    const buttons = el("div", { class: "actions" });
    for (const [to, label] of moves) {
      const b = el("button", { type: "button" }, t(label));
      b.addEventListener("click", async () => {
        try {
          await sendJson("POST", `${path}/stage`, { stage: to, note: note.value }, ifMatch);
          await reload(t(`lib.moved.${to}`));
        } catch (err) {
          if (!(err instanceof ProblemError)) throw err;
          status.textContent = hasMessage(`lib.error.${err.code}`) ? t(`lib.error.${err.code}`) : err.message;
        }
      });
      buttons.append(b);
    }
    workflow.append(labelledField(el, "lib.field.", "note", note, t("lib.hint.note")), buttons);
  }
  if (r.stage === "published") workflow.append(el("p", {}, el("a", { href: `/library/${r.id}`, "data-link": "", id: "public-link" }, t("lib.seePublic"))));

  const preview = el("section", { id: "preview" }, el("h2", {}, t("lib.preview")), renderedBody(el, r.body_html ?? ""));
  const files = filesSection(el, { id: "resource-files", base: `${path}/attachments`, files: r.attachments ?? [], open: editable, reload,
                                   closedNote: t("lib.filesClosed") });
  const translations = (r.translations ?? []).length
    ? el("ul", { id: "translations" }, ...(r.translations ?? []).map((x) => el("li", {},
      el("a", { href: `/organisations/${org}/library/${x.id}`, "data-link": "" }, `${languageName(x.language)}: ${x.title}`), ` (${t(`lib.stage.${x.stage}`)})`)))
    : el("p", {}, t("lib.noTranslations"));
  const steps = el("ol", { id: "history" }, ...history.items.map((h) => el("li", {},
    `${h.at.slice(0, 16).replace("T", " ")} · ${h.user || t("lib.someone")} · ${t(`lib.action.${h.action}`)}`,
    h.action === "changed" ? ` (${Object.keys(h.changes).map((k) => hasMessage(`lib.field.${k}`) ? t(`lib.field.${k}`) : k).join(", ")})` : "",
    h.action === "moved" ? ` → ${t(`lib.stage.${h.stage}`)}` : "", h.note ? ` — “${h.note}”` : "")));

  main.replaceChildren(el("p", {}, el("a", { href: `/organisations/${org}/library`, "data-link": "" }, `← ${t("lib.desk")}`)),
    el("h1", {}, r.title), status, workflow, el("section", {}, el("h2", {}, t("lib.content")), form), preview, files,
    el("section", {}, el("h2", {}, t("lib.translations")), translations), el("section", {}, el("h2", {}, t("lib.history")), steps));
}

// ---- the public page of a published resource

export async function resourcePage(main: HTMLElement, el: El, rid: number): Promise<void> {
  const [r, themes, sdgNames] = await Promise.all([getJson<Resource>(`/api/v1/library/resources/${rid}`), getJson<{ items: Theme[] }>("/api/v1/library/themes"),
    vocabulary("sdgs")]);
  document.title = `${r.title} · Solidum`;
  const facts = el("dl", { class: "figures", id: "resource-facts" },
    el("dt", {}, t("lib.field.type")), el("dd", {}, t(`lib.type.${r.type}`)),
    el("dt", {}, t("lib.publisher")), el("dd", {}, el("a", { href: `/organisations/${r.publisher.id}`, "data-link": "" }, r.publisher.name)),
    el("dt", {}, t("lib.field.language")), el("dd", { lang: r.language }, languageName(r.language)));
  if (r.published_at) facts.append(el("dt", {}, t("lib.publishedOn")), el("dd", {}, r.published_at.slice(0, 10)));
  if (r.themes.length) facts.append(el("dt", {}, t("lib.field.themes")), el("dd", {}, r.themes.map((c) => themeLabel(themes.items, c)).join(" · ")));
  if (r.sdgs.length) facts.append(el("dt", {}, t("lib.field.sdgs")), el("dd", {}, r.sdgs.map((n) => `${n}. ${sdgNames.get(String(n)) ?? ""}`).join(" · ")));
  if (r.countries.length) facts.append(el("dt", {}, t("lib.field.countries")), el("dd", {}, r.countries.map(regionName).join(", ")));
  if ((r.organisations ?? []).length) {
    facts.append(el("dt", {}, t("lib.about")), el("dd", {}, ...(r.organisations ?? []).flatMap((o, i) =>
      [i ? ", " : "", el("a", { href: `/organisations/${o.id}`, "data-link": "" }, o.name)])));
  }
  const also = (r.translations ?? []).length
    ? el("p", { id: "also-available" }, t("lib.alsoIn"), " ", ...(r.translations ?? []).flatMap((x, i) =>
      [i ? " · " : "", el("a", { href: `/library/${x.id}`, "data-link": "", lang: x.language, hreflang: x.language }, `${languageName(x.language)}: ${x.title}`)]))
    : "";
  const files = (r.attachments ?? []).length
    ? el("section", { id: "resource-files" }, el("h2", {}, t("files.title")), el("ul", { class: "files" }, ...(r.attachments ?? []).map((f) =>
      el("li", {}, el("a", { href: `/api/v1/library/resources/${r.id}/attachments/${f.id}`, download: f.file_name }, f.file_name)))))
    : "";
  main.replaceChildren(el("article", { class: "resource", lang: r.language },
    el("p", { class: "badge" }, t(`lib.type.${r.type}`)), el("h1", {}, r.title), also,
    r.summary ? el("p", { class: "summary" }, r.summary) : "", facts, renderedBody(el, r.body_html ?? ""), files));
}

// ---- on an organisation's page

export async function resourcesAbout(el: El, org: number): Promise<HTMLElement | null> {
  const list = await getJson<{ items: Resource[] }>(`/api/v1/organisations/${org}/library/about`);
  if (!list.items.length) return null;
  return el("section", { id: "resources-about" }, el("h2", {}, t("lib.aboutThis")), el("ul", {}, ...list.items.map((r) =>
    el("li", {}, el("a", { href: `/library/${r.id}`, "data-link": "" }, r.title), ` — ${t(`lib.type.${r.type}`)} · ${r.publisher.name}`))));
}

// ---- the public library: search, facets, results

interface SearchPage {
  items: (Resource & { translations: { id: number; language: string; title: string }[] })[]; total: number; next_offset: number | null;
  facets: Record<string, { value: string; count: number }[]>;
}
const FACETS = ["type", "theme", "language", "country", "sdg"];
const PAGE = 20;

export async function librarySearchPage(main: HTMLElement, el: El, navigate: (path: string) => void): Promise<void> {
  const params = new URLSearchParams(location.search);
  const offset = Number(params.get("offset") ?? 0);
  const api = new URLSearchParams(params);
  api.set("limit", String(PAGE));
  const [found, themes, sdgNames] = await Promise.all([getJson<SearchPage>(`/api/v1/library/resources?${api}`),
    getJson<{ items: Theme[] }>("/api/v1/library/themes"), vocabulary("sdgs")]);
  document.title = `${t("lib.title")} · Solidum`;
  const go = (p: URLSearchParams) => {
    p.delete("offset");
    navigate(`/library${p.toString() ? `?${p}` : ""}`);
  };

  const q = el("input", { type: "search", id: "library-q", maxlength: "200", value: params.get("q") ?? "", autocomplete: "off" });
  const sort = el("select", { id: "library-sort" }, ...["relevance", "newest", "title"].map((s) => el("option", { value: s }, t(`lib.sort.${s}`))));
  sort.value = params.get("sort") ?? (params.get("q") ? "relevance" : "newest");
  const form = el("form", { role: "search", class: "inline-form", id: "library-search" },
    el("label", { for: q.id }, t("lib.searchLabel")), q, el("button", { type: "submit" }, t("lib.searchButton")),
    el("label", { for: sort.id }, t("lib.sortLabel")), sort);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const p = new URLSearchParams(params);
    if (q.value.trim()) p.set("q", q.value.trim());
    else p.delete("q");
    if (sort.value === "relevance" && !q.value.trim()) p.delete("sort");
    else p.set("sort", sort.value);
    go(p);
  });
  sort.addEventListener("change", () => form.requestSubmit());

  // Facets: each value a check box with its count; checking one filters at once.
  const valueLabel = (facet: string, v: string) => {
    if (facet === "type") return t(`lib.type.${v}`);
    if (facet === "theme") return themeLabel(themes.items, v);
    if (facet === "language") return languageName(v);
    if (facet === "country") return regionName(v);
    return `${v}. ${sdgNames.get(v) ?? ""}`;
  };
  const facets = el("div", { class: "facets", id: "library-facets" });
  for (const facet of FACETS) {
    const chosen = params.getAll(facet).flatMap((x) => x.split(","));
    const values = found.facets?.[facet] ?? [];
    if (!values.length && !chosen.length) continue;
    const box = el("fieldset", { class: "facet", id: `facet-${facet}` }, el("legend", {}, t(`lib.facet.${facet}`)));
    for (const v of values) {
      const input = el("input", { type: "checkbox", value: v.value, ...(chosen.includes(v.value) ? { checked: "" } : {}) });
      input.addEventListener("change", () => {
        const p = new URLSearchParams(params);
        const now = new Set(chosen);
        if (input.checked) now.add(v.value);
        else now.delete(v.value);
        p.delete(facet);
        for (const x of now) p.append(facet, x);
        go(p);
      });
      box.append(el("label", { class: "check" }, input, ` ${valueLabel(facet, v.value)} `, el("span", { class: "count" }, `(${v.count.toLocaleString(lang())})`)));
    }
    facets.append(box);
  }

  const results = found.items.length
    ? el("ol", { class: "results", id: "library-results", start: String(offset + 1) }, ...found.items.map((r) => el("li", {},
      el("h3", {}, el("a", { href: `/library/${r.id}`, "data-link": "", lang: r.language }, r.title)),
      el("p", { class: "meta" }, `${t(`lib.type.${r.type}`)} · ${languageName(r.language)} · ${r.publisher.name}${r.published_at ? ` · ${r.published_at.slice(0, 10)}` : ""}`),
      r.summary ? el("p", { lang: r.language }, r.summary) : "",
      r.translations.length ? el("p", { class: "also" }, t("lib.alsoIn"), " ", ...r.translations.flatMap((x, i) =>
        [i ? " · " : "", el("a", { href: `/library/${x.id}`, "data-link": "", lang: x.language, hreflang: x.language }, languageName(x.language))])) : "")))
    : el("p", { id: "library-results" }, t("lib.noResults"));
  const pager = el("p", { class: "actions" });
  const page = (at: number, label: string) => {
    const p = new URLSearchParams(params);
    if (at > 0) p.set("offset", String(at));
    else p.delete("offset");
    pager.append(el("a", { href: `/library?${p}`, "data-link": "", class: "button" }, label));
  };
  if (offset > 0) page(Math.max(0, offset - PAGE), t("lib.previous"));
  if (found.next_offset !== null) page(found.next_offset, t("lib.next"));

  main.replaceChildren(el("div", { class: "library" }, el("h1", {}, t("lib.title")), el("p", { class: "intro" }, t("lib.intro")), form,
    el("p", { role: "status", id: "library-total" }, t("lib.found", { n: found.total.toLocaleString(lang()) })),
    el("div", { class: "library-columns" }, facets, el("div", {}, results, pager))));
}

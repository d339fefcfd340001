// Solidum's browser app: the map and directory (search, filters with facet counts, synced
// with the map and the URL), organisation pages and network pages with portrait charts.
import "./style.css";
import { ApiError, canAdminister, canEdit, currentSession, getJson, loadSession, PRINCIPLES, ProblemError, sendJson, signIn, signOut,
         vocabulary,         type MapPoints, type Organisation, type PortraitRow, type Relationship, type SearchPage } from "./api";
import { assemblyDeskPage, assemblyPage, myAssembliesPage, newAssemblyPage, officerAssembliesPage } from "./assemblies";
import { ballotPage, myBallotsPage } from "./ballots";
import { accountPage, listingsPage, myAccountsPage, statisticsPage } from "./ledger";
import { barChart } from "./chart";
import { showFieldErrors, suggestOrganisations } from "./forms";
import { newBallotPage, officerBallotsPage } from "./officer";
import { currenciesPage, currencyAdminPage } from "./currencies";
import { registerPage } from "./register";
import { setOffRunPage, setOffRunsPage } from "./setoff";
import { loanSimulatorPage } from "./loans";
import { fundsPage } from "./funds";
import { applicationPage, applyPage, fundPage, loanPage } from "./fundloans";
import { groupsPage, myGroupsPage, savingsGroupPage, tontinePage } from "./groups";
import { mySharesPage, sharesPage } from "./shares";
import { surplusPage } from "./surplus";
import { eventEditPage, eventPage, eventsDeskPage, eventsPage } from "./events";
import { communitiesDeskPage, communitiesPage, communityPage, threadPage } from "./communities";
import { libraryDeskPage, librarySearchPage, resourceEditPage, resourcePage, resourcesAbout } from "./library";
import { count, hasMessage, lang, LANGS, onLangChange, setLang, t, translateStatic, type Lang } from "./i18n";
import { MapView, type View } from "./map";

const main = document.getElementById("main")!;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
}

function navigate(path: string): void {
  history.pushState(null, "", path);
  route();
}

function showError(where: HTMLElement, e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  where.replaceChildren(el("p", { class: "error", role: "alert" }, t("error.load", { message })));
}

// ---------- The map and the directory ----------

const FACETS = ["legal_form", "country", "status", "activity", "network_scope"] as const;
type Facet = (typeof FACETS)[number];
const VOCABULARY: Record<Facet, string | null> = {
  legal_form: "legal_forms",
  country: "countries",
  status: null,
  activity: "activities",
  network_scope: "network_scopes",
};

interface DirectoryState {
  q: string;
  filters: Record<Facet, string[]>;
  inView: boolean;
  view: View | null;
}

function readState(): DirectoryState {
  const p = new URLSearchParams(location.search);
  const filters = Object.fromEntries(FACETS.map((f) => [f, (p.get(f) || "").split(",").filter(Boolean)])) as Record<Facet, string[]>;
  let view: View | null = null;
  const v = (p.get("view") || "").split(",").map(Number);
  if (v.length === 3 && v.every(Number.isFinite)) view = { lon: v[0], lat: v[1], zoom: v[2] };
  return { q: p.get("q") || "", filters, inView: p.get("inview") === "1", view };
}

function filterParams(s: DirectoryState): URLSearchParams {
  const p = new URLSearchParams();
  if (s.q) p.set("q", s.q);
  for (const f of FACETS) if (s.filters[f].length) p.set(f, s.filters[f].join(","));
  return p;
}

function writeState(s: DirectoryState, push: boolean): void {
  // The map settles (and calls here) after its last move, possibly once the reader has
  // gone to another page: the directory's state belongs in the URL only while it shows.
  if (location.pathname !== "/") return;
  const p = filterParams(s);
  if (s.inView) p.set("inview", "1");
  if (s.view) p.set("view", `${s.view.lon.toFixed(4)},${s.view.lat.toFixed(4)},${s.view.zoom.toFixed(2)}`);
  const url = `/${p.toString() ? "?" + p.toString() : ""}`;
  if (push) history.pushState(null, "", url);
  else history.replaceState(null, "", url);
}

let mapView: MapView | null = null;

function directoryPage(): void {
  const state = readState();
  const search = el("input", { type: "search", id: "q", name: "q", autocomplete: "off", placeholder: t("search.placeholder") });
  search.value = state.q;
  const form = el(
    "form",
    { class: "search", role: "search" },
    el("label", { for: "q" }, t("search.label")),
    el("div", { class: "search-row" }, search, el("button", { type: "submit" }, t("search.submit"))),
  );
  const inView = el("input", { type: "checkbox", id: "inview" });
  inView.checked = state.inView;
  const facetsBox = el("div", { class: "facets" });
  const total = el("p", { class: "total", "aria-live": "polite", id: "total" });
  const list = el("ol", { class: "results", id: "results" });
  const more = el("button", { type: "button", class: "more", hidden: "" }, t("results.more"));
  const mapStatus = el("p", { class: "map-status", "aria-live": "polite" }, t("map.loading"));
  const side = el(
    "section",
    { class: "directory", "aria-label": t("nav.map") },
    form,
    el("details", { class: "filters", open: "" }, el("summary", {}, t("filters.title")), facetsBox),
    el("p", { class: "inview" }, inView, el("label", { for: "inview" }, " " + t("results.inView"))),
    total,
    list,
    more,
  );
  if (!mapView) {
    mapView = new MapView({
      label: t("map.label"),
      zoomInLabel: t("map.zoomIn"),
      zoomOutLabel: t("map.zoomOut"),
      tileUrl: document.querySelector<HTMLMetaElement>("meta[name=solidum-tiles]")?.content || undefined,
    });
  }
  const map = mapView;
  map.setLabels(t("map.label"), t("map.zoomIn"), t("map.zoomOut"));
  main.replaceChildren(el("div", { class: "explore" }, side, el("div", { class: "map-box" }, map.element, mapStatus)));

  let cursor: string | null = null;
  let listRequest = 0;
  async function loadList(append = false): Promise<void> {
    const mine = ++listRequest;
    const p = filterParams(state);
    p.set("limit", "20");
    if (state.inView) p.set("bbox", map.bbox().map((x) => x.toFixed(5)).join(","));
    if (append && cursor) p.set("cursor", cursor);
    try {
      const page = await getJson<SearchPage>(`/api/v1/organisations?${p}`);
      if (mine !== listRequest) return;
      cursor = page.next_cursor;
      more.hidden = !cursor;
      total.textContent = count(page.total);
      const forms = await vocabulary("legal_forms");
      const countries = await vocabulary("countries");
      const items = page.items.map((o) =>
        el(
          "li",
          {},
          el("a", { href: `/organisations/${o.id}`, "data-link": "" }, o.name),
          el("span", { class: "meta" }, [o.locality, o.country ? countries.get(o.country) : null, o.legal_form ? forms.get(o.legal_form) : null]
            .filter(Boolean)
            .join(" · ")),
        ),
      );
      if (append) list.append(...items);
      else list.replaceChildren(...items);
      if (!append) await renderFacets(page.facets);
    } catch (e) {
      showError(list, e);
    }
  }

  async function renderFacets(facets: SearchPage["facets"]): Promise<void> {
    const groups: HTMLElement[] = [];
    for (const f of FACETS) {
      const values = facets[f] || [];
      const chosen = state.filters[f];
      const shown = values.slice(0, 8);
      for (const c of chosen) if (!shown.some((v) => v.value === c)) shown.push({ value: c, count: 0 });
      if (!shown.length) continue;
      const labels = VOCABULARY[f] ? await vocabulary(VOCABULARY[f]!) : null;
      const fieldset = el("fieldset", {}, el("legend", {}, t(`facet.${f}`)));
      for (const v of shown) {
        const id = `f-${f}-${v.value}`;
        const box = el("input", { type: "checkbox", id, name: f, value: v.value });
        box.checked = chosen.includes(v.value);
        box.addEventListener("change", () => {
          state.filters[f] = box.checked ? [...chosen, v.value] : chosen.filter((x) => x !== v.value);
          changed();
        });
        const name = f === "status" ? t(`status.${v.value}`) : labels?.get(v.value) || v.value;
        fieldset.append(el("div", { class: "facet" }, box, el("label", { for: id }, `${name} `, el("span", { class: "n" }, `(${v.count.toLocaleString(lang())})`))));
      }
      groups.push(fieldset);
    }
    if (FACETS.some((f) => state.filters[f].length)) {
      const clear = el("button", { type: "button", class: "link" }, t("filters.clear"));
      clear.addEventListener("click", () => {
        for (const f of FACETS) state.filters[f] = [];
        changed();
      });
      groups.push(clear);
    }
    facetsBox.replaceChildren(...groups);
  }

  let pointsRequest = 0;
  async function loadPoints(fit: boolean): Promise<void> {
    const mine = ++pointsRequest;
    mapStatus.textContent = t("map.loading");
    try {
      const query = filterParams(state).toString();
      const points = await getJson<MapPoints>(`/api/v1/organisations/map${query ? "?" + query : ""}`);
      if (mine !== pointsRequest) return;
      map.setPoints(points);
      mapStatus.textContent = t("map.points", { n: points.total.toLocaleString(lang()) });
      if (fit) map.fit();
    } catch (e) {
      showError(mapStatus, e);
    }
  }

  function changed(): void {
    writeState(state, true);
    cursor = null;
    void loadList();
    void loadPoints(false);
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    state.q = search.value.trim();
    changed();
  });
  inView.addEventListener("change", () => {
    state.inView = inView.checked;
    writeState(state, false);
    void loadList();
  });
  more.addEventListener("click", () => void loadList(true));
  map.setHandlers(
    (view) => {
      state.view = view;
      writeState(state, false);
      if (state.inView) void loadList();
    },
    (id) => navigate(`/organisations/${id}`),
  );
  if (state.view) map.setView(state.view);
  void loadList();
  void loadPoints(!state.view);
}

// ---------- An organisation ----------

function row(label: string, ...value: (Node | string)[]): HTMLElement[] {
  return [el("dt", {}, label), el("dd", {}, ...value)];
}

async function organisationPage(id: number): Promise<void> {
  main.replaceChildren(el("p", {}, t("map.loading")));
  try {
    const [o, rels, forms, activities, countries, sdgs, roles, kinds, membershipTypes] = await Promise.all([
      getJson<Organisation>(`/api/v1/organisations/${id}`),
      getJson<{ items: Relationship[] }>(`/api/v1/organisations/${id}/relationships`),
      vocabulary("legal_forms"),
      vocabulary("activities"),
      vocabulary("countries"),
      vocabulary("sdgs"),
      vocabulary("membership_roles"),
      vocabulary("relationship_types"),
      vocabulary("membership_types"),
    ]);
    const l = lang();
    const translated = o.translations[l];
    const description = translated?.description || o.description;
    const mission = translated?.mission || o.mission;
    const dl = el("dl", { class: "facts" });
    if (o.legal_form) dl.append(...row(t("org.legalForm"), forms.get(o.legal_form) || o.legal_form));
    if (o.membership_type) dl.append(...row(t("org.membershipType"), membershipTypes.get(o.membership_type) || o.membership_type));
    if (o.primary_activity) dl.append(...row(t("org.primaryActivity"), activities.get(o.primary_activity) || o.primary_activity));
    const others = o.activities.filter((a) => a !== o.primary_activity);
    if (others.length) dl.append(...row(t("org.activities"), others.map((a) => activities.get(a) || a).join(", ")));
    const address = [o.street, [o.postcode, o.locality].filter(Boolean).join(" "), o.region, o.country ? countries.get(o.country) : null]
      .filter(Boolean)
      .join(", ");
    if (address) dl.append(...row(t("org.address"), address));
    if (o.website) dl.append(...row(t("org.website"), el("a", { href: o.website, rel: "noopener nofollow" }, o.website)));
    if (o.email) dl.append(...row(t("org.email"), el("a", { href: `mailto:${o.email}` }, o.email)));
    if (o.phone) dl.append(...row(t("org.phone"), o.phone));
    if (o.urls.length) {
      const links = o.urls.flatMap((u, i) => [i ? ", " : "", el("a", { href: u, rel: "noopener nofollow" }, u.replace(/^https?:\/\//, ""))]);
      dl.append(...row(t("org.urls"), ...links));
    }
    if (o.languages.length) {
      const names = new Intl.DisplayNames([l], { type: "language" });
      dl.append(...row(t("org.languages"), o.languages.map((c) => names.of(c) || c).join(", ")));
    }
    if (o.founded_year) dl.append(...row(t("org.founded"), String(o.founded_year)));
    const year = o.counts_year ? ` (${t("org.countsYear", { year: o.counts_year })})` : "";
    for (const k of ["members", "workers", "volunteers"] as const) {
      if (o[k] !== null) dl.append(...row(t(`org.${k}`), o[k]!.toLocaleString(l) + year));
    }
    if (o.sdgs.length) dl.append(...row(t("org.sdgs"), o.sdgs.map((s) => `${s}. ${sdgs.get(String(s)) || ""}`).join("; ")));
    const principles = PRINCIPLES.filter((p) => o.principles[p]);
    const principleList = el(
      "dl",
      { class: "principles" },
      ...principles.flatMap((p) => [
        el("dt", {}, t(`principle.${p}`)),
        el("dd", {}, el("meter", { min: "0", max: "5", value: String(o.principles[p]), "aria-label": t(`principle.${p}`) }),
           ` ${o.principles[p]}/5`),
      ]),
    );
    const memberships = rels.items.filter((r) => r.kind === "member_of" && r.subject.id === o.id && r.current);
    // Declared relationships, seen from this organisation: "supplier of X", and "X: supplier of" it.
    const declared = rels.items.filter((r) => r.kind !== "member_of" && r.current);
    const relationList = el(
      "ul",
      {},
      ...declared.map((r) => {
        const mine = r.subject.id === o.id;
        const other = mine ? r.object : r.subject;
        const link = el("a", { href: `/organisations/${other.id}`, "data-link": "" }, other.name);
        const kind = kinds.get(r.kind) || r.kind;
        return mine ? el("li", {}, `${kind}: `, link) : el("li", {}, link, ` — ${kind}: ${o.name}`);
      }),
    );
    const networks = el(
      "ul",
      {},
      ...memberships.map((r) =>
        el("li", {}, el("a", { href: `/networks/${r.object.id}`, "data-link": "" }, r.object.name),
           r.role ? ` — ${roles.get(r.role) || r.role}` : ""),
      ),
    );
    const page = el(
      "article",
      { class: "org" },
      el("p", {}, el("a", { href: "/", "data-link": "" }, "← " + t("org.back"))),
      el("h1", {}, o.name),
      description ? el("p", { class: "description" }, description) : "",
      mission ? el("p", { class: "mission" }, el("strong", {}, `${t("org.mission")}: `), mission) : "",
      dl,
    );
    if (canEdit(o.id)) {
      page.querySelector("h1")!.after(el("p", {}, el("a", { href: `/organisations/${o.id}/edit`, "data-link": "", class: "button" }, t("org.edit")),
        " ", el("a", { href: `/organisations/${o.id}/members`, "data-link": "", class: "button" }, t("register.link")),
        " ", el("a", { href: `/organisations/${o.id}/ballots`, "data-link": "", class: "button" }, t("officer.link")),
        " ", el("a", { href: `/organisations/${o.id}/assemblies`, "data-link": "", class: "button" }, t("assemblies.link")),
        canAdminister(o.id) ? " " : "",
        canAdminister(o.id) ? el("a", { href: `/organisations/${o.id}/currencies`, "data-link": "", class: "button" }, t("currencies.link")) : "",
        canAdminister(o.id) ? " " : "",
        canAdminister(o.id) ? el("a", { href: `/organisations/${o.id}/funds`, "data-link": "", class: "button" }, t("funds.link")) : "",
        " ", el("a", { href: `/organisations/${o.id}/loan-applications`, "data-link": "", class: "button" }, t("fl.link")),
        " ", el("a", { href: `/organisations/${o.id}/shares`, "data-link": "", class: "button" }, t("sh.link")),
        " ", el("a", { href: `/organisations/${o.id}/surplus`, "data-link": "", class: "button" }, t("su.link")),
        " ", el("a", { href: `/organisations/${o.id}/groups`, "data-link": "", class: "button" }, t("gr.link")),
        " ", el("a", { href: `/organisations/${o.id}/library`, "data-link": "", class: "button" }, t("lib.link")),
        " ", el("a", { href: `/organisations/${o.id}/events`, "data-link": "", class: "button" }, t("ev.link")),
        " ", el("a", { href: `/organisations/${o.id}/communities`, "data-link": "", class: "button" }, t("co.link"))));
    }
    if (o.network_scope) {
      page.append(el("p", { class: "badge" }, t("org.network"), " · ", el("a", { href: `/networks/${o.id}`, "data-link": "" }, t("org.seeNetwork"))));
    }
    if (memberships.length) page.append(el("h2", {}, t("org.memberOf")), networks);
    if (declared.length) page.append(el("h2", {}, t("org.relationships")), relationList);
    if (principles.length) page.append(el("h2", {}, t("org.principles")), principleList);
    const about = await resourcesAbout(el, o.id);
    if (about) page.append(about);
    main.replaceChildren(page);
    document.title = `${o.name} · Solidum`;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) main.replaceChildren(el("p", { role: "alert" }, t("org.notFound")));
    else showError(main, e);
  }
}

// ---------- A network ----------

async function networkPage(id: number, said = ""): Promise<void> {
  main.replaceChildren(el("p", {}, t("map.loading")));
  try {
    const portrait = (group: string) =>
      getJson<{ groups: PortraitRow[] }>(`/api/v1/portraits?group_by=${group}&network=${id}`).then((r) => r.groups);
    const [o, members, byForm, byCountry, byYear, forms, countries, roles] = await Promise.all([
      getJson<Organisation>(`/api/v1/organisations/${id}`),
      getJson<{ items: (Relationship & { version: number; organisation: { id: number; name: string; country: string | null; locality: string | null } })[]; total: number }>(
        `/api/v1/networks/${id}/members?limit=200`,
      ),
      portrait("legal_form"),
      portrait("country"),
      portrait("year"),
      vocabulary("legal_forms"),
      vocabulary("countries"),
      vocabulary("membership_roles"),
    ]);
    const unknown = t("unknown");
    const decades = new Map<string, number>();
    for (const r of byYear) {
      const key = r.group ? `${r.group.slice(0, 3)}0` : unknown;
      decades.set(key, (decades.get(key) || 0) + r.organisations);
    }
    const manage = canEdit(id);
    const notice = el("p", { role: "status", class: "form-status" }, said);
    // Ends a membership today (the record stays as history); one that only began today
    // never held, and is removed.
    const end = async (m: (typeof members.items)[number], button: HTMLButtonElement) => {
      button.disabled = true;
      try {
        const today = new Date().toISOString().slice(0, 10);
        const path = `/api/v1/networks/${id}/members/${m.id}`, ifMatch = { "If-Match": `"v${m.version}"` };
        if (m.start_date && m.start_date >= today) await sendJson("DELETE", path, undefined, ifMatch);
        else await sendJson("PATCH", path, { end_date: today }, ifMatch);
        button.closest("tr")!.remove();
        notice.textContent = t("network.ended", { name: m.organisation.name });
      } catch (e) {
        button.disabled = false;
        if (e instanceof ProblemError) notice.textContent = problemText(e);
        else showError(notice, e);
      }
    };
    const table = el(
      "table",
      { class: "members" },
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, o.name), el("th", { scope: "col" }, t("network.role")),
                         el("th", { scope: "col" }, t("network.since")), manage ? el("th", { scope: "col" }, t("network.actions")) : "")),
      el(
        "tbody",
        {},
        ...members.items.map((m) => {
          const tr = el(
            "tr",
            {},
            el("td", {}, el("a", { href: `/organisations/${m.organisation.id}`, "data-link": "" }, m.organisation.name)),
            el("td", {}, m.role ? roles.get(m.role) || m.role : ""),
            el("td", {}, m.start_date || ""),
          );
          if (manage) {
            const b = el("button", { type: "button", class: "link", "aria-label": t("network.endOf", { name: m.organisation.name }) }, t("network.end"));
            b.addEventListener("click", () => void end(m, b));
            tr.append(el("td", {}, b));
          }
          return tr;
        }),
      ),
    );
    main.replaceChildren(
      el(
        "article",
        { class: "network" },
        el("p", {}, el("a", { href: `/organisations/${id}`, "data-link": "" }, "← " + o.name)),
        el("h1", {}, o.name),
        el("p", { class: "actions" },
          canEdit(id) ? el("a", { href: `/networks/${id}/follow-up`, "data-link": "", class: "button" }, t("followUp.link")) : "",
          canAdminister(id) ? el("a", { href: `/networks/${id}/import`, "data-link": "", class: "button" }, t("import.link")) : "", " ",
          canAdminister(id) ? el("a", { href: `/networks/${id}/setoff`, "data-link": "", class: "button" }, t("setoff.link")) : ""),
        el("h2", {}, t("network.portrait")),
        el(
          "div",
          { class: "charts" },
          barChart(t("network.byLegalForm"), byForm.map((r) => ({ label: r.group ? forms.get(r.group) || r.group : unknown, value: r.organisations }))),
          barChart(t("network.byCountry"), byCountry.map((r) => ({ label: r.group ? countries.get(r.group) || r.group : unknown, value: r.organisations }))),
          barChart(t("network.byYear"), [...decades].map(([label, value]) => ({ label, value })), false),
        ),
        el("h2", {}, `${t("network.members")} (${members.total.toLocaleString(lang())})`),
        notice,
        table,
        manage ? addMemberForm(id, roles, (message) => void networkPage(id, message)) : "",
      ),
    );
    document.title = `${o.name} · Solidum`;
  } catch (e) {
    showError(main, e);
  }
}

// A problem in the interface's language where it has words for its code, else as the server put it.
function problemText(e: ProblemError): string {
  return e.code && hasMessage(`problem.${e.code}`) ? t(`problem.${e.code}`) : e.message;
}

// The form with which a network's staff record a new member: the organisation is found by
// name (suggestions from the search API), with a role and the date it joined.
function addMemberForm(network: number, roles: Map<string, string>, done: (message: string) => void): HTMLElement {
  const name = el("input", { type: "search", list: "member-suggestions", autocomplete: "off" });
  const suggestions = el("datalist", { id: "member-suggestions" });
  const chosen = suggestOrganisations(el, name, suggestions);
  const role = el("select", {}, ...[...roles].map(([code, label]) => el("option", { value: code }, label)));
  role.value = roles.has("full") ? "full" : role.value;
  const start = el("input", { type: "date" });
  start.value = new Date().toISOString().slice(0, 10);
  const status = el("p", { role: "alert", class: "form-status" });
  const box = (key: string, control: HTMLElement, hint = "") => {
    const f = field(key, control, hint);
    f.querySelector("label")!.textContent = t(`network.${key}`);
    return f;
  };
  const form = el(
    "form",
    { class: "form add-member", novalidate: "" },
    el("h2", {}, t("network.addMember")),
    box("organisation", name, t("network.organisationHint")),
    suggestions,
    field("role", role),
    box("startDate", start),
    el("div", { class: "actions" }, el("button", { type: "submit" }, t("network.add"))),
    status,
  );
  form.querySelector('label[for="field-role"]')!.textContent = t("network.role");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    form.querySelectorAll<HTMLElement>(".field-error").forEach((p) => (p.hidden = true));
    form.querySelectorAll("[aria-invalid]").forEach((c) => c.removeAttribute("aria-invalid"));
    const shown = (key: string, control: HTMLElement, message: string) => {
      const p = form.querySelector<HTMLElement>(`#error-${key}`)!;
      p.textContent = message;
      p.hidden = false;
      control.setAttribute("aria-invalid", "true");
      control.setAttribute("aria-describedby", p.id);
      control.focus();
    };
    const organisation = chosen(name.value);
    if (organisation === undefined) return shown("organisation", name, t("network.pick"));
    try {
      await sendJson("POST", `/api/v1/networks/${network}/members`,
                     { organisation_id: organisation, role: role.value, start_date: start.value || null });
      done(t("network.added", { name: name.value }));
    } catch (err) {
      if (!(err instanceof ProblemError)) return showError(status, err);
      status.textContent = problemText(err);
      const where: Record<string, [string, HTMLElement]> = {
        organisation_id: ["organisation", name], role: ["role", role], start_date: ["startDate", start] };
      for (const f of err.fields) {
        const [key, control] = where[f.field.replace(/^\//, "")] ?? [];
        if (key && control) shown(key, control, f.message);
      }
    }
  });
  return form;
}

// ---------- Portraits of the register ----------

const GROUPS = ["country", "region", "legal_form", "activity", "network", "year"] as const;

async function portraitsPage(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const group = (GROUPS as readonly string[]).includes(params.get("group_by") || "") ? params.get("group_by")! : "country";
  const chooser = el("select", { id: "group-by" }, ...GROUPS.map((g) => el("option", { value: g }, t(`group.${g}`))));
  chooser.value = group;
  chooser.addEventListener("change", () => navigate(`/portraits?group_by=${chooser.value}`));
  const body = el("div", {}, el("p", {}, t("map.loading")));
  main.replaceChildren(
    el("article", { class: "network" }, el("h1", {}, t("portraits.title")),
       el("p", {}, el("label", { for: "group-by" }, t("portraits.groupBy") + " "), chooser), body),
  );
  try {
    const rows = (await getJson<{ groups: (PortraitRow & { members_reported: number; workers_reported: number })[] }>(
      `/api/v1/portraits?group_by=${group}`)).groups;
    const vocab: Record<string, string> = { country: "countries", legal_form: "legal_forms", activity: "activities" };
    const labels = vocab[group] ? await vocabulary(vocab[group]) : null;
    let names = new Map<string, string>();
    if (group === "network") {
      const nets = await getJson<SearchPage>("/api/v1/organisations?network_scope=local,regional,national,international&limit=500&facets=false");
      names = new Map(nets.items.map((n) => [String(n.id), n.name]));
    }
    const label = (g: string | null) => (g === null ? t("unknown") : labels?.get(g) || names.get(g) || g);
    const l = lang();
    const table = el(
      "table",
      { class: "members" },
      el("thead", {}, el("tr", {}, ...[t(`group.${group}`), t("portraits.organisations"), t("portraits.members"), t("portraits.workers")]
        .map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, ...rows.map((r) => el("tr", {},
        el("td", {}, label(r.group)),
        el("td", {}, r.organisations.toLocaleString(l)),
        el("td", {}, `${r.members.toLocaleString(l)} (${t("portraits.reported", { n: r.members_reported.toLocaleString(l) })})`),
        el("td", {}, `${r.workers.toLocaleString(l)} (${t("portraits.reported", { n: r.workers_reported.toLocaleString(l) })})`)))),
    );
    body.replaceChildren(
      el("div", { class: "charts" },
        barChart(`${t("portraits.organisations")} · ${t(`group.${group}`)}`, rows.map((r) => ({ label: label(r.group), value: r.organisations })), group !== "year", group === "year" ? 200 : 15),
        barChart(`${t("portraits.workers")} · ${t(`group.${group}`)}`, rows.map((r) => ({ label: label(r.group), value: r.workers })), group !== "year", group === "year" ? 200 : 15)),
      table,
    );
  } catch (e) {
    showError(body, e);
  }
}

// ---------- A network's follow-up of its members ----------

async function followUpPage(id: number): Promise<void> {
  main.replaceChildren(el("p", {}, t("map.loading")));
  try {
    type Member = Relationship & { organisation: { id: number; name: string }; record_updated_at: string; missing: string[]; counts_stale: boolean };
    const [o, page] = await Promise.all([
      getJson<Organisation>(`/api/v1/organisations/${id}`),
      getJson<{ items: Member[]; total: number }>(`/api/v1/networks/${id}/follow-up?limit=500`),
    ]);
    const l = lang();
    const rows = page.items.map((m) => {
      const gaps = m.missing.map((f) => t(`missing.${f}`));
      if (m.counts_stale) gaps.push(t("followUp.stale"));
      return el("tr", {},
        el("td", {}, el("a", { href: `/organisations/${m.organisation.id}`, "data-link": "" }, m.organisation.name)),
        el("td", {}, new Date(m.record_updated_at).toLocaleDateString(l)),
        el("td", { class: gaps.length ? "gaps" : "" }, gaps.length ? gaps.join(", ") : t("followUp.complete")),
        el("td", {}, canEdit(m.organisation.id) ? el("a", { href: `/organisations/${m.organisation.id}/edit`, "data-link": "" }, t("org.edit")) : ""));
    });
    main.replaceChildren(el("article", { class: "network" },
      el("p", {}, el("a", { href: `/networks/${id}`, "data-link": "" }, "← " + o.name)),
      el("h1", {}, t("followUp.title", { name: o.name })),
      el("p", {}, count(page.total)),
      el("table", { class: "members" },
        el("thead", {}, el("tr", {}, ...[o.name, t("followUp.updated"), t("followUp.missing"), ""].map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, ...rows))));
  } catch (e) {
    showError(main, e);
  }
}

// ---------- Imports by a network ----------

async function importPage(id: number): Promise<void> {
  let network: Organisation;
  try {
    network = await getJson<Organisation>(`/api/v1/organisations/${id}`);
  } catch (e) {
    return showError(main, e);
  }
  const file = el("input", { type: "file", accept: ".csv,.json,.geojson,text/csv,application/json", required: "" });
  const format = el("select", {}, ...["csv", "essglobal-csv", "geojson", "murmurations"].map((f) => el("option", { value: f }, t(`format.${f}`))));
  const members = el("input", { type: "checkbox", id: "import-members" });
  members.checked = true;
  const result = el("div", { "aria-live": "polite", id: "import-result" });
  const submit = el("button", { type: "submit" }, t("import.submit"));
  const form = el("form", { class: "form" }, el("h1", {}, t("import.title", { name: network.name })),
    field("file", file), field("format", format),
    el("p", {}, members, el("label", { for: "import-members" }, " " + t("import.members"))), submit, result);
  form.querySelector('label[for="field-file"]')!.textContent = t("import.file");
  form.querySelector('label[for="field-format"]')!.textContent = t("import.format");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = file.files?.[0];
    if (!f) return file.focus();
    submit.disabled = true;
    result.replaceChildren(el("p", {}, t("import.working")));
    try {
      const headers: Record<string, string> = { "Content-Type": f.type || "application/octet-stream" };
      const session = currentSession();
      if (session?.csrf_token) headers["X-CSRF-Token"] = session.csrf_token;
      const r = await fetch(`/api/v1/networks/${id}/imports?format=${format.value}&members=${members.checked}`,
                            { method: "POST", body: f, headers, credentials: "same-origin" });
      const j = await r.json();
      if (!r.ok) throw new ApiError(r.status, j.detail || j.title, j.code);
      const rows = (list: { line: number; reason: string }[]) => el("table", { class: "members" },
        el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("import.line")), el("th", { scope: "col" }, t("import.reason")))),
        el("tbody", {}, ...list.map((x) => el("tr", {}, el("td", {}, String(x.line)), el("td", {}, x.reason)))));
      result.replaceChildren(
        el("p", { class: "summary" }, t("import.summary", { read: j.read, created: j.created, updated: j.updated, unchanged: j.unchanged,
                                                            rejected: j.rejected.length, added: j.members_added })),
        j.ignored.length ? el("p", {}, t("import.ignored", { list: j.ignored.join(", ") })) : "",
        j.rejected.length ? el("h2", {}, t("import.rejected")) : "", j.rejected.length ? rows(j.rejected) : "",
        j.warnings.length ? el("h2", {}, t("import.warnings")) : "", j.warnings.length ? rows(j.warnings) : "",
      );
    } catch (err) {
      showError(result, err);
    } finally {
      submit.disabled = false;
    }
  });
  main.replaceChildren(form);
}

// ---------- Signing in, and editing ----------

function renderAccount(): void {
  const box = document.getElementById("account")!;
  const s = currentSession();
  if (!s) {
    box.replaceChildren(el("a", { href: "/sign-in", "data-link": "" }, t("nav.signIn")));
    return;
  }
  const create = el("a", { href: "/organisations/new", "data-link": "" }, t("nav.add"));
  const ballots = el("a", { href: "/ballots", "data-link": "" }, t("nav.ballots"));
  const assemblies = el("a", { href: "/assemblies", "data-link": "" }, t("nav.assemblies"));
  const accounts = el("a", { href: "/accounts", "data-link": "" }, t("nav.accounts"));
  const shares = el("a", { href: "/me/shares", "data-link": "" }, t("nav.shares"));
  const groups = el("a", { href: "/me/groups", "data-link": "" }, t("nav.groups"));
  const out = el("button", { type: "button", class: "link" }, t("nav.signOut"));
  out.addEventListener("click", async () => {
    await signOut();
    renderAccount();
    route();
  });
  box.replaceChildren(ballots, " · ", assemblies, " · ", accounts, " · ", shares, " · ", groups, " · ", create, " · ", el("span", { class: "who" }, t("signedInAs", { email: s.user.email }) + " · "), out);
}

function field(name: string, input: HTMLElement, hint = ""): HTMLElement {
  input.id = `field-${name}`;
  input.setAttribute("name", name);
  const error = el("p", { class: "field-error", id: `error-${name}`, hidden: "" });
  const box = el("div", { class: "field" }, el("label", { for: input.id }, t(`field.${name}`)), input, error);
  if (hint) box.append(el("p", { class: "hint" }, hint));
  return box;
}

function signInPage(): void {
  const email = el("input", { type: "email", autocomplete: "username", required: "" });
  const password = el("input", { type: "password", autocomplete: "current-password", required: "" });
  const status = el("p", { role: "alert", class: "error" });
  const form = el(
    "form",
    { class: "form narrow" },
    el("h1", {}, t("signIn.title")),
    field("email", email),
    field("password", password),
    el("button", { type: "submit" }, t("signIn.submit")),
    status,
  );
  form.querySelector('label[for="field-email"]')!.textContent = t("signIn.email");
  form.querySelector('label[for="field-password"]')!.textContent = t("signIn.password");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    status.textContent = "";
    try {
      await signIn(email.value.trim(), password.value);
      renderAccount();
      navigate("/");
    } catch (err) {
      status.textContent = t("signIn.failed", { message: err instanceof Error ? err.message : String(err) });
    }
  });
  main.replaceChildren(form);
  email.focus();
}

// An empty record, for the form that creates one.
const BLANK: Organisation = {
  id: 0, name: "", other_names: [], description: "", mission: "", language: null, translations: {}, legal_form: null,
  membership_type: null, primary_activity: null, activities: [], network_scope: null, street: null, locality: null,
  region: null, postcode: null, country: null, latitude: null, longitude: null, website: null, urls: [], email: null,
  phone: null, languages: [], founded_year: null, status: "active", members: null, workers: null, volunteers: null,
  counts_year: null, sdgs: [], principles: {}, version: 0,
};

// Edits organisation `id`, or creates one when `id` is null (its creator becomes its admin).
async function editPage(id: number | null): Promise<void> {
  main.replaceChildren(el("p", {}, t("map.loading")));
  let o: Organisation = BLANK, etag: string | null = null;
  if (id !== null) {
    try {
      const r = await fetch(`/api/v1/organisations/${id}`, { headers: { Accept: "application/json" } });
      if (!r.ok) throw new ApiError(r.status, r.statusText);
      etag = r.headers.get("ETag");
      o = (await r.json()) as Organisation;
    } catch (e) {
      showError(main, e);
      return;
    }
  }
  const [forms, countries, membershipTypes, activityLabels, sdgLabels, scopes] = await Promise.all([
    vocabulary("legal_forms"), vocabulary("countries"), vocabulary("membership_types"), vocabulary("activities"), vocabulary("sdgs"),
    vocabulary("network_scopes")]);
  // Lists as groups of checkboxes (keyboard- and screen-reader-friendly, unlike multiple selects).
  const checkboxes = (name: string, options: Map<string, string>, chosen: string[]) => {
    const box = el("fieldset", { class: "choices" }, el("legend", {}, t(`field.${name}`)));
    for (const [code, label] of options) {
      const id = `field-${name}-${code}`;
      const c = el("input", { type: "checkbox", id, value: code, "data-list": name });
      c.checked = chosen.includes(code);
      box.append(el("div", { class: "facet" }, c, el("label", { for: id }, label)));
    }
    return box;
  };
  const lists = {
    activities: checkboxes("activities", activityLabels, o.activities),
    sdgs: checkboxes("sdgs", new Map([...sdgLabels].map(([k, v]) => [k, `${k}. ${v}`])), o.sdgs.map(String)),
  };
  const select = (options: Map<string, string>, value: string | null, sort = true) => {
    const s = el("select", {}, el("option", { value: "" }, t("field.none")));
    const entries = [...options];
    if (sort) entries.sort((a, b) => a[1].localeCompare(b[1], lang()));
    for (const [code, label] of entries) {
      const opt = el("option", { value: code }, label);
      if (code === value) opt.setAttribute("selected", "");
      s.append(opt);
    }
    return s;
  };
  const input = (value: string | number | null, type = "text", extra: Record<string, string> = {}) => {
    const i = el("input", { type, ...extra });
    i.value = value === null ? "" : String(value);
    return i;
  };
  const textarea = (value: string, rows: number) => {
    const a = el("textarea", { rows: String(rows) });
    a.value = value;
    return a;
  };
  const status = el("select", {}, ...["active", "in_planning", "closed"].map((s) => el("option", { value: s }, t(`status.${s}`))));
  status.value = o.status;
  const languageNames = new Map(LANGS.map((l) => [l as string, t(`lang.${l}`)]));
  if (o.language && !languageNames.has(o.language)) languageNames.set(o.language, o.language);
  const fields: Record<string, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement> = {
    name: input(o.name, "text", { required: "" }),
    language: select(languageNames, o.language, false),
    description: textarea(o.description, 5),
    mission: textarea(o.mission, 2),
    other_names: textarea(o.other_names.join("\n"), 2),
    legal_form: select(forms, o.legal_form),
    membership_type: select(membershipTypes, o.membership_type),
    primary_activity: select(activityLabels, o.primary_activity),
    network_scope: select(scopes, o.network_scope, false),
    status,
    street: input(o.street),
    postcode: input(o.postcode),
    locality: input(o.locality),
    region: input(o.region),
    country: select(countries, o.country),
    latitude: input(o.latitude, "text", { inputmode: "decimal" }),
    longitude: input(o.longitude, "text", { inputmode: "decimal" }),
    website: input(o.website, "url"),
    urls: textarea(o.urls.join("\n"), 2),
    email: input(o.email, "email"),
    phone: input(o.phone, "tel"),
    languages: input(o.languages.join(", ")),
    founded_year: input(o.founded_year, "text", { inputmode: "numeric" }),
    members: input(o.members, "text", { inputmode: "numeric" }),
    workers: input(o.workers, "text", { inputmode: "numeric" }),
    volunteers: input(o.volunteers, "text", { inputmode: "numeric" }),
    counts_year: input(o.counts_year, "text", { inputmode: "numeric" }),
  };
  const numeric = new Set(["latitude", "longitude", "founded_year", "members", "workers", "volunteers", "counts_year"]);
  const lines = new Set(["other_names", "urls"]);  // one value per line
  const hints: Record<string, string> = { languages: t("field.languagesHint") };
  // Description and mission in the interface's other languages (others the record has are kept).
  const translationBox = el("fieldset", { class: "translations" }, el("legend", {}, t("edit.translations")));
  const translationControls = new Map<string, { description: HTMLTextAreaElement; mission: HTMLTextAreaElement }>();
  for (const l of LANGS) {
    const language = t(`lang.${l}`);
    const d = textarea(o.translations[l]?.description ?? "", 3), m = textarea(o.translations[l]?.mission ?? "", 2);
    d.id = `field-translations-${l}-description`;
    m.id = `field-translations-${l}-mission`;
    d.lang = m.lang = l;
    translationControls.set(l, { description: d, mission: m });
    translationBox.append(
      el("div", { class: "field" }, el("label", { for: d.id }, t("edit.descriptionIn", { language })), d),
      el("div", { class: "field" }, el("label", { for: m.id }, t("edit.missionIn", { language })), m),
    );
  }
  // The five principles' self-assessment, 1 to 5 each.
  const principleBox = el("fieldset", { class: "principles" }, el("legend", {}, t("edit.principles")));
  const principleControls = new Map<string, HTMLSelectElement>();
  for (const p of PRINCIPLES) {
    const scores = new Map([1, 2, 3, 4, 5].map((n) => [String(n), t(`principle.score${n}`)]));
    const c = select(scores, o.principles[p] ? String(o.principles[p]) : null, false);
    c.id = `field-principles-${p}`;
    principleControls.set(p, c);
    principleBox.append(el("div", { class: "field" }, el("label", { for: c.id }, t(`principle.${p}`)), c));
  }
  const groups: Record<string, HTMLElement> = {
    ...lists,
    translations: translationBox,
    principles: principleBox,
  };
  const message = el("p", { role: "alert", class: "form-status" });
  const form = el("form", { class: "form", novalidate: "" },
                  el("h1", {}, id === null ? t("create.title") : t("edit.title", { name: o.name })), message);
  for (const [name, control] of Object.entries(fields)) form.append(field(name, control, hints[name] ?? ""));
  for (const [name, box] of Object.entries(groups)) {
    form.append(box, el("p", { class: "field-error", id: `error-${name}`, hidden: "" }));
  }
  const cancel = el("a", { href: id === null ? "/" : `/organisations/${id}`, "data-link": "" }, t("edit.cancel"));
  form.append(el("div", { class: "actions" }, el("button", { type: "submit" }, t("edit.save")), cancel));
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    form.querySelectorAll<HTMLElement>(".field-error").forEach((p) => (p.hidden = true));
    form.querySelectorAll("[aria-invalid]").forEach((c) => c.removeAttribute("aria-invalid"));
    message.textContent = "";
    // Send what changed; the server validates and says which field is wrong.
    const patch: Record<string, unknown> = {};
    const before = o as unknown as Record<string, unknown>;
    for (const [name, control] of Object.entries(fields)) {
      const raw = control.value.trim();
      if (lines.has(name) || name === "languages") {
        const values = raw.split(name === "languages" ? /[\s,;]+/ : "\n").map((n) => n.trim()).filter(Boolean);
        if (!same(values, before[name])) patch[name] = values;
        continue;
      }
      let value: unknown = raw === "" ? null : raw;
      if (numeric.has(name) && raw !== "") value = Number.isFinite(Number(raw)) ? Number(raw) : raw;
      if ((name === "description" || name === "mission") && value === null) value = "";
      if ((before[name] ?? null) !== value) patch[name] = value;
    }
    for (const [name, box] of Object.entries(lists)) {
      const chosen = [...box.querySelectorAll<HTMLInputElement>("input:checked")].map((c) => c.value);
      const values = name === "sdgs" ? chosen.map(Number) : chosen;
      if (!same(values, before[name])) patch[name] = values;
    }
    const translations = { ...o.translations };
    for (const [l, c] of translationControls) {
      const description = c.description.value.trim(), mission = c.mission.value.trim();
      if (description || mission) translations[l] = { description, mission };
      else delete translations[l];
    }
    if (!same(translations, o.translations)) patch.translations = translations;
    const principles: Record<string, number> = {};
    for (const [p, c] of principleControls) if (c.value) principles[p] = Number(c.value);
    if (!same(principles, o.principles)) patch.principles = principles;
    try {
      if (id === null) {
        const created = await sendJson<Organisation>("POST", "/api/v1/organisations", patch);
        await loadSession();  // the creator is now its admin
        navigate(`/organisations/${created.body.id}`);
      } else {
        await sendJson("PATCH", `/api/v1/organisations/${id}`, patch, etag ? { "If-Match": etag } : {});
        navigate(`/organisations/${id}`);
      }
    } catch (err) {
      if (!(err instanceof ProblemError)) return showError(message, err);
      if (err.status === 412) message.textContent = t("edit.conflict");
      else if (err.status === 403) message.textContent = t("edit.forbidden");
      else message.textContent = err.fields.length ? t("edit.invalid") : err.message;
      // The control itself where the pointer names one (/translations/fr/mission), else the group's first.
      showFieldErrors(form, err, (path) => path[0], (name, path) =>
        fields[name] ?? form.querySelector<HTMLElement>(`#field-${path.join("-")}`) ?? groups[name]?.querySelector<HTMLElement>("input, select, textarea") ?? null)?.focus();
    }
  });
  main.replaceChildren(form);
  fields.name.focus();
}

// ---------- Routing ----------

function route(): void {
  translateStatic();
  document.title = "Solidum";
  const path = location.pathname;
  let m: RegExpMatchArray | null;
  renderAccount();
  if ((m = path.match(/^\/organisations\/(\d+)$/))) void organisationPage(Number(m[1]));
  else if ((m = path.match(/^\/organisations\/(\d+)\/edit$/))) void editPage(Number(m[1]));
  else if (path === "/sign-in") signInPage();
  else if (path === "/organisations/new") void editPage(null);
  else if (path === "/portraits") void portraitsPage();
  else if (path === "/loans/simulator") loanSimulatorPage(main, el);
  else if (path === "/ballots") myBallotsPage(main, el).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/ballots\/(\d+)$/))) ballotPage(main, el, Number(m[1])).catch((e) => showError(main, e));
  else if (path === "/accounts") myAccountsPage(main, el).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/currencies\/(\d+)\/listings$/))) listingsPage(main, el, Number(m[1])).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/currencies\/(\d+)\/statistics$/))) statisticsPage(main, el, Number(m[1])).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/accounts\/(\d+)$/))) accountPage(main, el, Number(m[1])).catch((e) => showError(main, e));
  else if (path === "/assemblies") myAssembliesPage(main, el).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/assemblies\/(\d+)$/))) assemblyPage(main, el, Number(m[1])).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/organisations\/(\d+)\/assemblies$/))) officerAssembliesPage(main, el, Number(m[1])).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/organisations\/(\d+)\/assemblies\/new$/))) newAssemblyPage(main, el, navigate, Number(m[1])).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/organisations\/(\d+)\/assemblies\/(\d+)\/edit$/))) newAssemblyPage(main, el, navigate, Number(m[1]), Number(m[2])).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/organisations\/(\d+)\/assemblies\/(\d+)$/))) assemblyDeskPage(main, el, navigate, Number(m[1]), Number(m[2])).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/organisations\/(\d+)\/currencies$/))) currenciesPage(main, el, navigate, Number(m[1])).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/organisations\/(\d+)\/currencies\/(\d+)$/))) currencyAdminPage(main, el, Number(m[1]), Number(m[2])).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/organisations\/(\d+)\/funds$/))) fundsPage(main, el, Number(m[1])).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/organisations\/(\d+)\/funds\/(\d+)$/))) fundPage(main, el, Number(m[1]), Number(m[2])).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/organisations\/(\d+)\/funds\/(\d+)\/applications\/(\d+)$/))) applicationPage(main, el, Number(m[1]), Number(m[2]), Number(m[3])).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/organisations\/(\d+)\/funds\/(\d+)\/loans\/(\d+)$/))) loanPage(main, el, Number(m[1]), Number(m[2]), Number(m[3])).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/organisations\/(\d+)\/loan-applications$/))) applyPage(main, el, Number(m[1])).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/organisations\/(\d+)\/shares$/))) sharesPage(main, el, Number(m[1])).catch((e) => showError(main, e));
  else if (path === "/me/shares") mySharesPage(main, el).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/organisations\/(\d+)\/groups$/))) groupsPage(main, el, Number(m[1])).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/organisations\/(\d+)\/savings-groups\/(\d+)$/))) savingsGroupPage(main, el, Number(m[1]), Number(m[2])).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/organisations\/(\d+)\/tontines\/(\d+)$/))) tontinePage(main, el, Number(m[1]), Number(m[2])).catch((e) => showError(main, e));
  else if (path === "/me/groups") myGroupsPage(main, el).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/organisations\/(\d+)\/surplus$/))) surplusPage(main, el, Number(m[1])).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/organisations\/(\d+)\/library$/))) libraryDeskPage(main, el, navigate, Number(m[1])).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/organisations\/(\d+)\/library\/(\d+)$/))) resourceEditPage(main, el, Number(m[1]), Number(m[2])).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/organisations\/(\d+)\/events$/))) eventsDeskPage(main, el, navigate, Number(m[1])).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/organisations\/(\d+)\/events\/(\d+)$/))) eventEditPage(main, el, Number(m[1]), Number(m[2])).catch((e) => showError(main, e));
  else if (path === "/events") eventsPage(main, el, navigate).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/organisations\/(\d+)\/communities$/))) communitiesDeskPage(main, el, navigate, Number(m[1])).catch((e) => showError(main, e));
  else if (path === "/communities") communitiesPage(main, el).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/communities\/(\d+)$/))) communityPage(main, el, navigate, Number(m[1])).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/communities\/(\d+)\/threads\/(\d+)$/))) threadPage(main, el, Number(m[1]), Number(m[2])).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/events\/(\d+)$/))) eventPage(main, el, Number(m[1])).catch((e) => showError(main, e));
  else if (path === "/library") librarySearchPage(main, el, navigate).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/library\/(\d+)$/))) resourcePage(main, el, Number(m[1])).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/organisations\/(\d+)\/members$/))) registerPage(main, el, Number(m[1])).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/organisations\/(\d+)\/ballots$/))) officerBallotsPage(main, el, navigate, Number(m[1])).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/organisations\/(\d+)\/ballots\/new$/))) newBallotPage(main, el, navigate, Number(m[1])).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/networks\/(\d+)\/import$/))) void importPage(Number(m[1]));
  else if ((m = path.match(/^\/networks\/(\d+)\/setoff$/))) setOffRunsPage(main, el, navigate, Number(m[1])).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/networks\/(\d+)\/setoff\/(\d+)$/))) setOffRunPage(main, el, Number(m[1]), Number(m[2])).catch((e) => showError(main, e));
  else if ((m = path.match(/^\/networks\/(\d+)\/follow-up$/))) void followUpPage(Number(m[1]));
  else if ((m = path.match(/^\/networks\/(\d+)$/))) void networkPage(Number(m[1]));
  else directoryPage();
}

document.addEventListener("click", (e) => {
  const a = (e.target as HTMLElement).closest("a[data-link]") as HTMLAnchorElement | null;
  if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
  e.preventDefault();
  navigate(a.getAttribute("href")!);
  main.focus();
});
window.addEventListener("popstate", route);

const select = document.getElementById("lang") as HTMLSelectElement;
select.value = lang();
document.documentElement.lang = lang();
select.addEventListener("change", () => setLang(select.value as Lang));
onLangChange(route);
void loadSession().then(route);

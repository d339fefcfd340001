// An organisation's member register for its staff: find members, add one, change a
// member (class, status, leaving date) and read their history, export and import CSV.
import { ApiError, currentSession, getJson, ProblemError, sendJson } from "./api";
import { t } from "./i18n";

type El = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Record<string, string>, ...children: (Node | string)[]) => HTMLElementTagNameMap[K];
interface Member {
  id: number; number: string | null; name: string; email: string | null; class: string | null; status: string;
  current: boolean; joined_on: string; left_on: string | null; version: number;
}
interface MemberClass { code: string; name: string; college_weight_percent: number | null; current_members: number }
interface Event { at: string; kind: string; changes: Record<string, [unknown, unknown]> }

// Shows the server's field errors under the controls named `field-<name>`.
function showFieldErrors(form: HTMLElement, el: El, err: ProblemError, message: HTMLElement, prefix = "reg-"): void {
  message.textContent = err.fields.length ? t("edit.invalid") : err.message;
  for (const p of form.querySelectorAll(".field-error")) p.remove();
  let first: HTMLElement | null = null;
  for (const f of err.fields) {
    const control = form.querySelector<HTMLElement>(`#${prefix}${f.field.replace(/^\//, "")}`);
    if (!control) continue;
    const p = el("p", { class: "field-error", id: `${control.id}-error` }, f.message);
    control.after(p);
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", p.id);
    first ??= control;
  }
  first?.focus();
}

function labelled(el: El, id: string, label: string, control: HTMLElement): HTMLElement {
  control.id = id;
  return el("div", { class: "field" }, el("label", { for: id }, label), control);
}

export async function registerPage(main: HTMLElement, el: El, org: number): Promise<void> {
  document.title = `${t("register.title")} · Solidum`;
  const classes = (await getJson<{ items: MemberClass[] }>(`/api/v1/organisations/${org}/member-classes`)).items;
  const className = new Map(classes.map((c) => [c.code, c.name]));
  const q = el("input", { type: "search" });
  const filter = el("select");
  for (const f of ["current", "left", "all"]) filter.append(el("option", { value: f }, t(`register.filter.${f}`)));
  const list = el("div", { "aria-live": "polite" });
  const load = async () => {
    const page = await getJson<{ items: Member[]; total: number }>(
      `/api/v1/organisations/${org}/members?filter=${filter.value}&limit=200&q=${encodeURIComponent(q.value)}`);
    const body = el("tbody");
    for (const m of page.items) {
      const name = el("button", { type: "button", class: "link" }, m.name);
      name.addEventListener("click", () => void memberPanel(main, el, org, m, classes, load));
      body.append(el("tr", {}, el("td", {}, m.number ?? ""), el("td", {}, name), el("td", {}, m.class ? className.get(m.class) ?? m.class : ""),
        el("td", {}, t(`register.status.${m.current ? m.status : "left"}`)), el("td", {}, m.joined_on), el("td", {}, m.left_on ?? "")));
    }
    list.replaceChildren(el("p", {}, t("register.count", { n: String(page.total) })),
      el("div", { class: "table-scroll" }, el("table", { class: "members" }, el("caption", { class: "sr" }, t("register.title")),
        el("thead", {}, el("tr", {}, ...["number", "name", "class", "status", "joined_on", "left_on"].map((k) => el("th", { scope: "col" }, t(`register.field.${k}`))))),
        body)));
  };
  const search = el("form", { class: "register-search", role: "search" }, labelled(el, "reg-q", t("register.search"), q),
                    labelled(el, "reg-filter", t("register.show"), filter), el("button", { type: "submit" }, t("register.find")));
  search.addEventListener("submit", (e) => {
    e.preventDefault();
    void load();
  });
  filter.addEventListener("change", () => void load());

  // Add a member.
  const name = el("input", { required: "" });
  const email = el("input", { type: "email" });
  const number = el("input");
  const cls = el("select", {}, el("option", { value: "" }, t("register.noClass")));
  for (const c of classes) cls.append(el("option", { value: c.code }, c.name));
  const joined = el("input", { type: "date" });
  const addMessage = el("p", { role: "alert", class: "error" });
  const add = el("form", { class: "edit", novalidate: "" }, el("h2", {}, t("register.add")),
    labelled(el, "reg-name", t("register.field.name"), name), labelled(el, "reg-email", t("register.field.email"), email),
    labelled(el, "reg-number", t("register.field.number"), number), labelled(el, "reg-class", t("register.field.class"), cls),
    labelled(el, "reg-joined_on", t("register.field.joined_on"), joined), el("button", { type: "submit" }, t("register.addButton")), addMessage);
  add.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body: Record<string, string> = { name: name.value };
    if (email.value) body.email = email.value;
    if (number.value) body.number = number.value;
    if (cls.value) body.class = cls.value;
    if (joined.value) body.joined_on = joined.value;
    try {
      await sendJson("POST", `/api/v1/organisations/${org}/members`, body);
      addMessage.textContent = t("register.added", { name: name.value });
      add.reset();
      await load();
    } catch (err) {
      if (err instanceof ProblemError) showFieldErrors(add, el, err, addMessage);
      else addMessage.textContent = String(err);
    }
  });

  // CSV out and in.
  const file = el("input", { type: "file", accept: ".csv,text/csv" });
  const importResult = el("div", { role: "status" });
  const importForm = el("form", {}, el("h2", {}, t("register.import")), el("p", { class: "hint" }, t("register.importHint")),
    labelled(el, "reg-file", t("register.file"), file), el("button", { type: "submit" }, t("register.importButton")), importResult);
  importForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = file.files?.[0];
    if (!f) return file.focus();
    const headers: Record<string, string> = { "Content-Type": "text/csv" };
    const s = currentSession();
    if (s?.csrf_token) headers["X-CSRF-Token"] = s.csrf_token;
    const r = await fetch(`/api/v1/organisations/${org}/members/imports`, { method: "POST", body: f, headers, credentials: "same-origin" });
    const j = await r.json();
    if (r.ok) {
      importResult.replaceChildren(el("p", {}, t("register.imported", { created: String(j.created), updated: String(j.updated), unchanged: String(j.unchanged) })));
      await load();
      return;
    }
    const errors: { field: string; message: string }[] = j.errors ?? [];
    importResult.replaceChildren(el("p", { class: "error" }, errors.length ? t("register.importRefused", { n: String(errors.length) }) : (j.detail ?? j.title)),
      el("table", { class: "members" }, el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("register.where")), el("th", { scope: "col" }, t("register.problem")))),
        el("tbody", {}, ...errors.map((x) => el("tr", {}, el("td", {}, x.field), el("td", {}, x.message))))));
  });

  main.replaceChildren(el("h1", {}, t("register.title")), search,
    el("p", {}, el("a", { href: `/api/v1/organisations/${org}/members/export`, download: `members-${org}.csv` }, t("register.export"))),
    list, add, importForm, collegesSection(main, el, org, classes));
  await load();
}

async function memberPanel(main: HTMLElement, el: El, org: number, m: Member, classes: MemberClass[], reload: () => Promise<void>): Promise<void> {
  main.querySelector("section.member-panel")?.remove();
  const cls = el("select", {}, el("option", { value: "" }, t("register.noClass")));
  for (const c of classes) cls.append(el("option", { value: c.code }, c.name));
  cls.value = m.class ?? "";
  const status = el("select");
  for (const s of ["active", "suspended"]) status.append(el("option", { value: s }, t(`register.status.${s}`)));
  status.value = m.status;
  const left = el("input", { type: "date" });
  left.value = m.left_on ?? "";
  const message = el("p", { role: "alert", class: "error" });
  const form = el("form", { class: "edit", novalidate: "" },
    labelled(el, "reg-class", t("register.field.class"), cls), labelled(el, "reg-status", t("register.field.status"), status),
    labelled(el, "reg-left_on", t("register.field.left_on"), left), el("button", { type: "submit" }, t("register.save")), message);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await sendJson("PATCH", `/api/v1/organisations/${org}/members/${m.id}`,
                     { class: cls.value || null, status: status.value, left_on: left.value || null }, { "If-Match": `"v${m.version}"` });
      panel.remove();
      await reload();
    } catch (err) {
      if (err instanceof ProblemError && err.status === 412) message.textContent = t("edit.conflict");
      else if (err instanceof ProblemError) showFieldErrors(form, el, err, message);
      else message.textContent = String(err);
    }
  });
  const history = el("ol", { class: "history" });
  try {
    const { items } = await getJson<{ items: Event[] }>(`/api/v1/organisations/${org}/members/${m.id}/history`);
    for (const ev of items) {
      const changes = Object.entries(ev.changes).map(([k, [a, b]]) => `${t(`register.field.${k}`)}: ${a ?? "—"} → ${b ?? "—"}`).join("; ");
      history.append(el("li", {}, `${ev.at.slice(0, 10)} · ${t(`register.event.${ev.kind}`)}${changes ? ` · ${changes}` : ""}`));
    }
  } catch (err) {
    history.append(el("li", {}, err instanceof ApiError ? err.message : String(err)));
  }
  const panel = el("section", { class: "member-panel", "aria-labelledby": "member-panel-title" },
    el("h2", { id: "member-panel-title", tabindex: "-1" }, m.name), form, el("h3", {}, t("register.history")), history);
  main.querySelector("h1")!.after(panel);
  (panel.querySelector("h2") as HTMLElement).focus();
}

// The organisation's colleges (member classes), with their weight where the statutes
// weight colleges; the admins add one.
function collegesSection(main: HTMLElement, el: El, org: number, classes: MemberClass[]): HTMLElement {
  const table = el("table", { class: "members" }, el("caption", {}, t("classes.title")),
    el("thead", {}, el("tr", {}, ...["code", "name", "weight", "members"].map((k) => el("th", { scope: "col" }, t(`classes.field.${k}`))))),
    el("tbody", {}, ...classes.map((c) => el("tr", {}, el("td", {}, c.code), el("td", {}, c.name),
      el("td", {}, c.college_weight_percent === null ? "" : `${c.college_weight_percent} %`), el("td", {}, String(c.current_members))))));
  const code = el("input", { required: "" });
  const name = el("input", { required: "" });
  const weight = el("input", { type: "number", min: "0", max: "100" });
  const message = el("p", { role: "alert", class: "error" });
  const form = el("form", { class: "edit", novalidate: "" }, el("h3", {}, t("classes.add")),
    labelled(el, "cls-code", t("classes.field.code"), code), labelled(el, "cls-name", t("classes.field.name"), name),
    labelled(el, "cls-college_weight_percent", t("classes.field.weight"), weight), el("p", { class: "hint" }, t("classes.weightHint")),
    el("button", { type: "submit" }, t("classes.addButton")), message);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body: Record<string, unknown> = { code: code.value.trim(), name: name.value.trim() };
    if (weight.value !== "") body.college_weight_percent = Number(weight.value);
    try {
      await sendJson("POST", `/api/v1/organisations/${org}/member-classes`, body);
      await registerPage(main, el, org);
      main.querySelector<HTMLElement>("#cls-code")?.focus();
    } catch (err) {
      if (err instanceof ProblemError) showFieldErrors(form, el, err, message, "cls-");
      else message.textContent = err instanceof ApiError ? err.message : String(err);
    }
  });
  return el("section", { "aria-labelledby": "classes-title" }, el("h2", { id: "classes-title" }, t("classes.title")),
    classes.length ? el("div", { class: "table-scroll" }, table) : el("p", {}, t("classes.none")), form);
}

// General assemblies. For members: my assemblies, an assembly's page (agenda, decisions,
// my attendance, give my proxy). For the organisation's staff: the list with the next
// step (convene, open, close), a form to set one up, and the secretary's desk (attendance
// register, proxies, quorum, decisions, emails sent).
import { currentSession, getJson, ProblemError, sendJson } from "./api";
import { labelledField, showFieldErrors, translatedSelect, type El } from "./forms";
import { lang, t } from "./i18n";

type Go = (path: string) => void;

interface Decision {
  kind: "show_of_hands" | "ballot" | "note";
  adopted?: boolean;
  yes?: number;
  no?: number;
  abstain?: number;
  rule?: string;
  elected?: string[];
  note: string;
}
interface Item { id: number; position: number; title: string; description: string; ballot_id: number | null; decision: Decision | null }
interface ClassQuorum { class: string | null; entitled: number; present: number; represented: number; met: boolean }
interface Quorum { entitled: number; present: number; represented: number; required: number; met: boolean; rule: string; classes: ClassQuorum[] }
export interface Assembly {
  id: number;
  kind: "ordinary" | "extraordinary";
  title: string;
  description: string;
  starts_at: string;
  timezone: string;
  place: string;
  online_url: string;
  notice_days: number;
  quorum_percent: number;
  quorum_scope: "overall" | "per_class";
  proxy_limit: number;
  state: "draft" | "convened" | "in_session" | "closed";
  notice_given_days: number | null;
  quorum_at_opening: Quorum | null;
  minutes?: string;
  items: Item[];
  version: number;
  quorum?: Quorum;
}
interface MyAssembly extends Assembly { organisation_name: string; your_status: "present" | "represented" | "absent"; your_proxy_holder: string | null }
interface Row {
  member_id: number;
  name: string;
  number: string | null;
  class: string | null;
  status: "present" | "represented" | "absent";
  channel: string | null;
  proxy_holder_id: number | null;
  proxy_holder_name: string | null;
  proxies_held: number;
}

// "2026-12-15T18:00" in its zone, written for the reader's language.
function when(a: Assembly): string {
  const [d, h] = a.starts_at.split("T");
  const [y, m, day] = d.split("-").map(Number);
  const date = new Intl.DateTimeFormat(lang(), { dateStyle: "full", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, day)));
  return `${date}, ${h} (${a.timezone})`;
}

function where(el: El, a: Assembly): Node[] {
  const out: Node[] = [];
  if (a.place) out.push(el("p", {}, el("strong", {}, `${t("assembly.place")}: `), a.place));
  if (a.online_url) out.push(el("p", {}, el("strong", {}, `${t("assembly.online")}: `), el("a", { href: a.online_url, rel: "noopener" }, a.online_url)));
  return out;
}

function decisionText(d: Decision): string {
  if (d.elected) return t("assembly.elected", { names: d.elected.join(", ") });
  if (d.adopted !== undefined) {
    return `${t(d.adopted ? "assembly.adopted" : "assembly.rejected")} (${t("assembly.counts", { yes: d.yes ?? 0, no: d.no ?? 0, abstain: d.abstain ?? 0 })})`;
  }
  return "";
}

function agenda(el: El, a: Assembly, extra?: (item: Item) => Node | null): HTMLElement {
  const list = el("ol", { class: "agenda" });
  for (const item of a.items) {
    const li = el("li", {}, el("strong", {}, item.title));
    if (item.description) li.append(el("p", { class: "hint" }, item.description));
    if (item.ballot_id) li.append(" ", el("a", { href: `/ballots/${item.ballot_id}`, "data-link": "" }, t("assembly.ballot")));
    if (item.decision) {
      const text = decisionText(item.decision);
      li.append(el("p", { class: "decision" }, text ? el("span", { class: item.decision.adopted === false ? "badge" : "badge done" }, text) : "",
                   item.decision.note ? ` ${item.decision.note}` : ""));
    }
    const more = extra?.(item);
    if (more) li.append(more);
    list.append(li);
  }
  return list;
}

function quorumBox(el: El, q: Quorum): HTMLElement {
  const box = el("section", { class: "quorum", "aria-labelledby": "quorum-title" }, el("h2", { id: "quorum-title" }, t("assembly.quorum")));
  box.append(
    el("p", { class: q.met ? "badge done" : "badge" }, t(q.met ? "assembly.quorumMet" : "assembly.quorumNotMet")),
    el("p", {}, t("assembly.quorumCounts", { present: q.present, represented: q.represented, entitled: q.entitled, required: q.required })),
  );
  if (q.classes.length > 1) {
    const list = el("ul");
    for (const c of q.classes) {
      list.append(el("li", {}, t("assembly.classQuorum", { class: c.class ?? t("register.noClass"), present: c.present, represented: c.represented, entitled: c.entitled }),
                     " ", el("span", { class: c.met ? "badge done" : "badge" }, t(c.met ? "assembly.quorumMet" : "assembly.quorumNotMet"))));
    }
    box.append(list);
  }
  return box;
}

// ---------- Members ----------

export async function myAssembliesPage(main: HTMLElement, el: El): Promise<void> {
  document.title = `${t("assemblies.title")} · Solidum`;
  const h1 = el("h1", {}, t("assemblies.title"));
  if (!currentSession()) {
    main.replaceChildren(h1, el("p", {}, el("a", { href: "/sign-in", "data-link": "" }, t("ballots.signIn"))));
    return;
  }
  const { items } = await getJson<{ items: MyAssembly[] }>("/api/v1/me/assemblies");
  if (!items.length) {
    main.replaceChildren(h1, el("p", {}, t("assemblies.none")));
    return;
  }
  const list = el("ul", { class: "ballots" });
  for (const a of items) {
    list.append(el("li", {},
      el("a", { href: `/assemblies/${a.id}`, "data-link": "" }, a.title),
      el("span", { class: "meta" }, ` · ${a.organisation_name} · ${t(`assembly.state.${a.state}`)}`),
      a.state !== "closed" && a.your_status !== "absent" ? el("span", { class: "badge done" }, t(`assembly.you.${a.your_status}`)) : "",
      el("p", { class: "hint" }, when(a))));
  }
  main.replaceChildren(h1, list);
}

export async function assemblyPage(main: HTMLElement, el: El, id: number): Promise<void> {
  const a = await getJson<MyAssembly>(`/api/v1/me/assemblies/${id}`);
  document.title = `${a.title} · Solidum`;
  const parts: Node[] = [
    el("h1", {}, a.title),
    el("p", { class: "meta" }, `${a.organisation_name} · ${t(`assembly.kind.${a.kind}`)} · ${t(`assembly.state.${a.state}`)}`),
    el("p", {}, el("strong", {}, `${t("assembly.when")}: `), when(a)),
    ...where(el, a),
  ];
  if (a.description) parts.push(el("p", { class: "description" }, a.description));
  parts.push(el("h2", {}, t("assembly.agenda")), agenda(el, a));
  if (a.state === "closed" && a.minutes) parts.push(el("h2", {}, t("assembly.minutes")), el("p", { class: "description" }, a.minutes));
  const mine = el("section", { "aria-labelledby": "mine-title" }, el("h2", { id: "mine-title" }, t("assembly.yourAttendance")));
  mine.append(el("p", {}, a.your_status === "represented" || (a.your_proxy_holder && a.your_status === "absent")
    ? t("assembly.you.proxyTo", { name: a.your_proxy_holder ?? "" }) : t(`assembly.you.${a.your_status}`)));
  if ((a.state === "convened" || a.state === "in_session") && a.your_status !== "present") {
    const form = el("form", { novalidate: "" });
    const holder = el("input", { id: "proxy-holder", autocomplete: "off" });
    const status = el("p", { role: "status" });
    form.append(el("div", { class: "field" }, el("label", { for: holder.id }, t("assembly.proxyHolder")), holder,
                   el("p", { class: "hint" }, t("assembly.proxyHint", { n: a.proxy_limit }))),
                el("button", { type: "submit" }, t("assembly.giveProxy")), status);
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        await sendJson("POST", `/api/v1/me/assemblies/${id}/proxy`, { holder_number: holder.value.trim() });
        await assemblyPage(main, el, id);
        (main.querySelector("#mine-title + p") as HTMLElement | null)?.focus();
      } catch (err) {
        status.textContent = err instanceof ProblemError && err.fields.length ? err.fields[0].message : err instanceof Error ? err.message : String(err);
      }
    });
    mine.append(form);
  }
  parts.push(mine);
  main.replaceChildren(...parts);
}

// ---------- Staff ----------

const NEXT: Record<string, string | undefined> = { draft: "convene", convened: "open", in_session: "close" };

export async function officerAssembliesPage(main: HTMLElement, el: El, org: number): Promise<void> {
  document.title = `${t("assemblies.officerTitle")} · Solidum`;
  const { items } = await getJson<{ items: Assembly[] }>(`/api/v1/organisations/${org}/assemblies`);
  const table = el("table", { class: "members" }, el("caption", { class: "sr" }, t("assemblies.officerTitle")),
    el("thead", {}, el("tr", {}, ...["assembly.title", "assembly.when", "officer.state", "officer.action"].map((k) => el("th", { scope: "col" }, t(k))))));
  const body = el("tbody");
  for (const a of items) {
    body.append(el("tr", {},
      el("td", {}, el("a", { href: `/organisations/${org}/assemblies/${a.id}`, "data-link": "" }, a.title)),
      el("td", {}, when(a)), el("td", {}, t(`assembly.state.${a.state}`)),
      el("td", {}, el("a", { href: `/organisations/${org}/assemblies/${a.id}`, "data-link": "" }, NEXT[a.state] ? t(`assembly.do.${NEXT[a.state]}`) : t("officer.see")))));
  }
  table.append(body);
  main.replaceChildren(
    el("h1", {}, t("assemblies.officerTitle")),
    el("p", {}, el("a", { href: `/organisations/${org}/assemblies/new`, "data-link": "", class: "button" }, t("assemblies.new"))),
    items.length ? el("div", { class: "table-scroll" }, table) : el("p", {}, t("assemblies.none")),
  );
}

// Sets up an assembly, or changes a draft (`id`).
export async function newAssemblyPage(main: HTMLElement, el: El, go: Go, org: number, id: number | null = null): Promise<void> {
  document.title = `${t(id ? "assembly.edit" : "assemblies.new")} · Solidum`;
  const existing = id ? await getJson<Assembly>(`/api/v1/organisations/${org}/assemblies/${id}`) : null;
  const ballots = (await getJson<{ items: { id: number; title: string; state: string }[] }>(`/api/v1/organisations/${org}/ballots`)).items;
  const form = el("form", { class: "edit", novalidate: "" });
  const field = (name: string, control: HTMLElement, hint = "") => labelledField(el, "assembly.field.", name, control, hint);
  const select = (options: string[], prefix: string) => translatedSelect(el, options, prefix);
  const kind = select(["ordinary", "extraordinary"], "assembly.kind.");
  const title = el("input", { required: "" });
  const description = el("textarea", { rows: "3" });
  const starts = el("input", { type: "datetime-local", required: "" });
  const zone = el("input", { value: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC" });
  const place = el("input");
  const online = el("input", { type: "url", placeholder: "https://" });
  const notice = el("input", { type: "number", min: "0", max: "365", value: "15" });
  const quorum = el("input", { type: "number", min: "0", max: "100", value: "25" });
  const scope = select(["overall", "per_class"], "assembly.scope.");
  const proxies = el("input", { type: "number", min: "0", max: "1000", value: "1" });
  const items = el("textarea", { rows: "5" });
  const ballotBox = el("fieldset", {}, el("legend", {}, t("assembly.field.ballots")));
  for (const b of ballots.filter((x) => x.state !== "published")) {
    const box = el("input", { type: "checkbox", value: String(b.id), id: `ballot-${b.id}` });
    box.checked = !!existing?.items.some((i) => i.ballot_id === b.id);
    ballotBox.append(el("div", { class: "choice" }, box, el("label", { for: box.id }, b.title)));
  }
  if (existing) {
    kind.value = existing.kind;
    title.value = existing.title;
    description.value = existing.description;
    starts.value = existing.starts_at;
    zone.value = existing.timezone;
    place.value = existing.place;
    online.value = existing.online_url;
    notice.value = String(existing.notice_days);
    quorum.value = String(existing.quorum_percent);
    scope.value = existing.quorum_scope;
    proxies.value = String(existing.proxy_limit);
    items.value = existing.items.filter((i) => !i.ballot_id).map((i) => i.title).join("\n");
  }
  const message = el("p", { role: "alert", class: "error" });
  form.append(field("kind", kind), field("title", title), field("description", description),
              field("starts_at", starts), field("timezone", zone, t("assembly.hint.timezone")), field("place", place), field("online_url", online),
              field("notice_days", notice, t("assembly.hint.notice")), field("quorum_percent", quorum), field("quorum_scope", scope),
              field("proxy_limit", proxies, t("assembly.hint.proxies")), field("items", items, t("assembly.hint.items")),
              ballots.length ? ballotBox : "", el("button", { type: "submit" }, t("officer.create")), message);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    for (const p of form.querySelectorAll<HTMLElement>(".field-error")) p.hidden = true;
    for (const c of form.querySelectorAll("[aria-invalid]")) c.removeAttribute("aria-invalid");
    const agendaItems: { title: string; ballot_id?: number }[] = items.value.split("\n").map((l) => l.trim()).filter(Boolean).map((l) => ({ title: l }));
    for (const box of ballotBox.querySelectorAll<HTMLInputElement>("input:checked")) {
      const b = ballots.find((x) => x.id === Number(box.value))!;
      agendaItems.push({ title: b.title, ballot_id: b.id });
    }
    const body = { kind: kind.value, title: title.value, description: description.value, starts_at: starts.value, timezone: zone.value.trim(),
                   place: place.value, online_url: online.value.trim(), notice_days: Number(notice.value), quorum_percent: Number(quorum.value),
                   quorum_scope: scope.value, proxy_limit: Number(proxies.value), items: agendaItems };
    try {
      const { body: a } = existing
        ? await sendJson<Assembly>("PUT", `/api/v1/organisations/${org}/assemblies/${existing.id}`, body, { "If-Match": `"v${existing.version}"` })
        : await sendJson<Assembly>("POST", `/api/v1/organisations/${org}/assemblies`, body);
      go(`/organisations/${org}/assemblies/${a.id}`);
    } catch (err) {
      if (!(err instanceof ProblemError)) {
        message.textContent = String(err);
        return;
      }
      message.textContent = err.fields.length ? t("edit.invalid") : err.message;
      showFieldErrors(form, err)?.focus();
    }
  });
  main.replaceChildren(el("h1", {}, t(existing ? "assembly.edit" : "assemblies.new")), form);
  title.focus();
}

// The secretary's desk: steps, quorum, the attendance register with proxies, decisions.
export async function assemblyDeskPage(main: HTMLElement, el: El, go: Go, org: number, id: number, notice = ""): Promise<void> {
  const path = `/api/v1/organisations/${org}/assemblies/${id}`;
  const a = await getJson<Assembly>(path);
  const { items: rows } = await getJson<{ items: Row[] }>(`${path}/attendance`);
  const mail = await getJson<{ queued: number; sent: number; failed: number }>(`${path}/mail`);
  document.title = `${a.title} · Solidum`;
  const status = el("p", { role: "status" }, notice);
  const reload = (text = "") => assemblyDeskPage(main, el, go, org, id, text);
  const act = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
    try {
      return await sendJson<Record<string, unknown>>(method, url, body, headers);
    } catch (err) {
      status.textContent = err instanceof ProblemError && err.fields.length ? err.fields.map((f) => f.message).join(" ") : err instanceof Error ? err.message : String(err);
      return null;
    }
  };
  const parts: Node[] = [
    el("p", {}, el("a", { href: `/organisations/${org}/assemblies`, "data-link": "" }, "← " + t("assemblies.officerTitle"))),
    el("h1", {}, a.title),
    el("p", { class: "meta" }, `${t(`assembly.kind.${a.kind}`)} · ${t(`assembly.state.${a.state}`)} · ${when(a)}`),
    ...where(el, a), status,
  ];
  if (a.notice_given_days !== null) {
    parts.push(el("p", { class: a.notice_given_days < a.notice_days ? "error" : "hint" },
      t("assembly.noticeGiven", { given: a.notice_given_days, required: a.notice_days })));
  }
  if (a.state !== "draft") parts.push(el("p", { class: "hint" }, t("assembly.mail", { sent: mail.sent, queued: mail.queued, failed: mail.failed })));
  else parts.push(el("p", {}, el("a", { href: `/organisations/${org}/assemblies/${id}/edit`, "data-link": "", class: "button" }, t("assembly.edit"))));
  const next = NEXT[a.state];
  if (next) {
    const stepBox = el("div", { class: "step" });
    let minutes: HTMLTextAreaElement | null = null;
    if (next === "close") {
      minutes = el("textarea", { id: "field-minutes", rows: "4" });
      stepBox.append(el("div", { class: "field" }, el("label", { for: minutes.id }, t("assembly.minutes")), minutes));
    }
    const button = el("button", { type: "button" }, t(`assembly.do.${next}`));
    button.addEventListener("click", async () => {
      if (!confirm(t(`assembly.confirm.${next}`, { title: a.title }))) return;
      button.disabled = true;
      const r = await act("POST", `${path}/${next}`, minutes ? { minutes: minutes.value } : undefined, { "If-Match": `"v${a.version}"` });
      button.disabled = false;
      if (!r) return;
      const warnings = (r.body.warnings as { message: string }[] | undefined) ?? [];
      const queued = r.body.notices_queued as number | undefined;
      await reload([t(`assembly.done.${next}`, { title: a.title }), queued !== undefined ? t("assembly.noticesQueued", { n: queued, without: String(r.body.members_without_email) }) : "",
                    ...warnings.map((w) => w.message)].filter(Boolean).join(" "));
    });
    stepBox.append(button);
    parts.push(stepBox);
  }
  if (a.state !== "draft") parts.push(quorumBox(el, a.quorum!));
  // Decisions, in session.
  parts.push(el("h2", {}, t("assembly.agenda")), agenda(el, a, (item) => {
    if (a.state !== "in_session") return null;
    const form = el("form", { class: "decide", novalidate: "" });
    const n = (name: string) => {
      const input = el("input", { type: "number", min: "0", id: `item-${item.id}-${name}` });
      return el("span", { class: "count" }, el("label", { for: input.id }, t(`vote.${name}`)), input);
    };
    const threshold = el("select", { id: `item-${item.id}-threshold` });
    for (const o of ["simple", "two_thirds", "three_quarters"]) threshold.append(el("option", { value: o }, t(`rule.${o}`)));
    const note = el("input", { id: `item-${item.id}-note` });
    form.append(n("yes"), n("no"), n("abstain"),
                el("span", {}, el("label", { for: threshold.id }, t("officer.field.threshold")), threshold),
                el("span", {}, el("label", { for: note.id }, t("assembly.note")), note),
                el("button", { type: "submit" }, t("assembly.record")));
    if (item.ballot_id) {
      const fromBallot = el("button", { type: "button" }, t("assembly.fromBallot"));
      fromBallot.addEventListener("click", async () => {
        if (await act("POST", `${path}/items/${item.id}/decision`, { from_ballot: true })) await reload(t("assembly.recorded"));
      });
      form.append(" ", fromBallot);
    }
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const v = (name: string) => (form.querySelector(`#item-${item.id}-${name}`) as HTMLInputElement).value;
      const body: Record<string, unknown> = { note: v("note") };
      if (v("yes") !== "" || v("no") !== "" || v("abstain") !== "") {
        Object.assign(body, { yes: Number(v("yes") || 0), no: Number(v("no") || 0), abstain: Number(v("abstain") || 0), threshold: v("threshold") });
      }
      if (await act("POST", `${path}/items/${item.id}/decision`, body)) await reload(t("assembly.recorded"));
    });
    return form;
  }));
  // The attendance register.
  if (a.state === "convened" || a.state === "in_session" || a.state === "closed") {
    const live = a.state !== "closed";
    const table = el("table", { class: "members attendance" }, el("caption", {}, t("assembly.register")),
      el("thead", {}, el("tr", {}, ...["register.field.number", "register.field.name", "register.field.class", "assembly.status", "assembly.proxy", "officer.action"]
        .map((k) => el("th", { scope: "col" }, t(k))))));
    const body = el("tbody");
    const present = rows.filter((r) => r.status === "present");
    for (const r of rows) {
      const actions = el("td");
      if (live) {
        if (r.status !== "present") {
          for (const channel of ["in_person", "online"]) {
            const b = el("button", { type: "button", "aria-label": t(`assembly.signIn.${channel}`) + ` – ${r.name}` }, t(`assembly.signIn.${channel}`));
            b.addEventListener("click", async () => {
              if (await act("POST", `${path}/attendance`, { member_id: r.member_id, channel })) await reload(t("assembly.signedIn", { name: r.name }));
            });
            actions.append(b, " ");
          }
          if (r.proxy_holder_id === null && present.length) {
            const holder = el("select", { "aria-label": t("assembly.proxyFor", { name: r.name }) }, el("option", { value: "" }, t("assembly.proxyTo")));
            for (const h of present) if (h.member_id !== r.member_id) holder.append(el("option", { value: String(h.member_id) }, h.name));
            holder.addEventListener("change", async () => {
              if (!holder.value) return;
              if (await act("POST", `${path}/proxies`, { grantor_member_id: r.member_id, holder_member_id: Number(holder.value) })) {
                await reload(t("assembly.proxyGiven", { name: r.name }));
              } else {
                holder.value = "";
              }
            });
            actions.append(holder);
          } else if (r.proxy_holder_id !== null) {
            const b = el("button", { type: "button", class: "link" }, t("assembly.revoke"));
            b.addEventListener("click", async () => {
              if (await act("DELETE", `${path}/proxies/${r.member_id}`)) await reload();
            });
            actions.append(b);
          }
        } else {
          const b = el("button", { type: "button", class: "link", "aria-label": `${t("assembly.signOut")} – ${r.name}` }, t("assembly.signOut"));
          b.addEventListener("click", async () => {
            if (await act("DELETE", `${path}/attendance/${r.member_id}`)) await reload();
          });
          actions.append(b);
        }
      }
      const proxy = r.proxy_holder_name ? t("assembly.proxyHeldBy", { name: r.proxy_holder_name }) : r.proxies_held ? t("assembly.holds", { n: r.proxies_held }) : "";
      body.append(el("tr", {}, el("td", {}, r.number ?? ""), el("th", { scope: "row" }, r.name), el("td", {}, r.class ?? ""),
        el("td", {}, t(`assembly.status.${r.status}`) + (r.channel ? ` (${t(`assembly.channel.${r.channel}`)})` : "")), el("td", {}, proxy), actions));
    }
    table.append(body);
    parts.push(el("div", { class: "table-scroll" }, table));
  }
  main.replaceChildren(...parts);
}

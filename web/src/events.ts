// Events in the browser: the public list of coming events (and "my registrations" with a
// calendar to subscribe to), an event's page (when, where, programme, materials, places;
// registering, waiting, cancelling, what others see of me, the participant list), and for
// the organiser a desk (its events, a new one) and an event's page (fields, publishing,
// the programme, registrations). Times are shown as the wall time where the event is held,
// with its zone, and in the reader's own zone when that differs.
import { currentSession, getJson, ProblemError, sendJson } from "./api";
import { clearErrors, dataTable, labelledField, sendingForm, showFieldErrors, translatedSelect, type El } from "./forms";
import { hasMessage, lang, t } from "./i18n";

const KINDS = ["forum", "academy", "conference", "workshop", "field_visit", "webinar", "meeting", "other"];

interface Ref { id: number; name: string }
interface Session { id: number; title: string; description: string; starts_at: string; ends_at: string; starts_utc: string; ends_utc: string; room: string; speakers: string; language: string }
interface Material { id: number; title: string; language: string; type: string }
export interface EventData {
  id: number; organiser: Ref; kind: string; title: string; summary: string; languages: string[]; starts_at: string; ends_at: string; timezone: string;
  starts_utc: string; ends_utc: string; registration_closes: string | null; closes_utc: string; venue: string; address: string; city: string; country: string;
  online: boolean; online_url?: string; capacity: number | null; waiting_list: boolean; confirmed: number; waiting: number; places_left: number | null;
  stage: string; version: number; description?: string; description_html?: string; sessions?: Session[]; materials?: Material[]; material_ids?: number[];
}
interface Registration {
  id: number; status: string; position: number | null; name: string; organisation: string; country: string; language: string;
  show_name: boolean; show_organisation: boolean; show_country: boolean; online_url?: string; email?: string; created_at: string;
}
interface Participants { items: { name: string | null; organisation: string | null; country: string | null }[]; total: number;
  by_country: { value: string; count: number }[]; by_organisation: { value: string; count: number }[] }

function regionName(code: string): string {
  try {
    return new Intl.DisplayNames([lang()], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}

// "6 July 2031, 09:00" for a wall time "2031-07-06T09:00" (as written, in no zone).
function wallTime(wall: string, withDate = true): string {
  const [d, time] = wall.split("T");
  const [y, m, day] = d.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, day)).toLocaleDateString(lang(), { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" });
  return withDate ? `${date}, ${time}` : time;
}
function readerZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
// When the event is: its own wall times and zone; the reader's local time too when their zone differs.
function whenText(e: EventData): string {
  const sameDay = e.starts_at.slice(0, 10) === e.ends_at.slice(0, 10);
  let text = `${wallTime(e.starts_at)} – ${wallTime(e.ends_at, !sameDay)} (${e.timezone})`;
  if (readerZone() !== e.timezone) {
    const fmt = (iso: string) => new Date(iso).toLocaleString(lang(), { dateStyle: "medium", timeStyle: "short" });
    text += ` · ${t("ev.yourTime", { when: `${fmt(e.starts_utc)} – ${fmt(e.ends_utc)}` })}`;
  }
  return text;
}
function whereText(e: EventData): string {
  const place = [e.venue, e.city, e.country ? regionName(e.country) : ""].filter(Boolean).join(", ");
  if (place && e.online) return `${place} · ${t("ev.andOnline")}`;
  return place || (e.online ? t("ev.online") : "");
}
function placesText(e: EventData): string {
  if (e.capacity === null) return t("ev.registered", { n: e.confirmed });
  const s = t("ev.places", { taken: e.confirmed, capacity: e.capacity });
  return e.waiting ? `${s} · ${t("ev.waitingCount", { n: e.waiting })}` : s;
}
function errorText(err: ProblemError): string {
  return hasMessage(`ev.error.${err.code}`) ? t(`ev.error.${err.code}`) : err.fields[0]?.message ?? err.message;
}

// ---- the public list

export async function eventsPage(main: HTMLElement, el: El, navigate: (path: string) => void): Promise<void> {
  const params = new URLSearchParams(location.search);
  const api = new URLSearchParams();
  for (const k of ["kind", "past"]) if (params.get(k)) api.set(k, params.get(k)!);
  const signedIn = currentSession() !== null;
  const [list, mine] = await Promise.all([getJson<{ items: EventData[] }>(`/api/v1/events?${api}`),
    signedIn ? getJson<{ items: (Registration & { event: EventData })[] }>("/api/v1/me/events") : Promise.resolve(null)]);
  document.title = `${t("ev.title")} · Solidum`;

  const kind = el("select", { id: "events-kind" }, el("option", { value: "" }, t("ev.allKinds")), ...KINDS.map((k) => el("option", { value: k }, t(`ev.kind.${k}`))));
  kind.value = params.get("kind") ?? "";
  const past = el("input", { type: "checkbox", id: "events-past", ...(params.get("past") === "true" ? { checked: "" } : {}) });
  const go = () => {
    const p = new URLSearchParams();
    if (kind.value) p.set("kind", kind.value);
    if (past.checked) p.set("past", "true");
    navigate(`/events${p.toString() ? `?${p}` : ""}`);
  };
  kind.addEventListener("change", go);
  past.addEventListener("change", go);
  const filters = el("div", { class: "inline-form" }, el("label", { for: kind.id }, t("ev.kindLabel")), kind, el("label", { class: "check" }, past, ` ${t("ev.past")}`));

  const items = list.items.length
    ? el("ul", { class: "results", id: "events-list" }, ...list.items.map((e) => el("li", {},
      el("h3", {}, el("a", { href: `/events/${e.id}`, "data-link": "" }, e.title), e.stage === "cancelled" ? el("span", { class: "badge" }, ` ${t("ev.cancelled")}`) : ""),
      el("p", { class: "meta" }, `${t(`ev.kind.${e.kind}`)} · ${whenText(e)}`), el("p", { class: "meta" }, `${whereText(e)} · ${e.organiser.name}`),
      e.summary ? el("p", {}, e.summary) : "")))
    : el("p", { id: "events-list" }, t("ev.none"));

  const page = el("div", { class: "events" }, el("h1", {}, t("ev.title")), filters, items);
  if (mine) {
    const rows = mine.items.map((r) => [el("a", { href: `/events/${r.event.id}`, "data-link": "" }, r.event.title), wallTime(r.event.starts_at),
      r.status === "waiting" ? t("ev.waitingAt", { n: r.position ?? 0 }) : t(`ev.status.${r.status}`)]);
    page.append(el("section", { id: "my-events" }, el("h2", {}, t("ev.mine")),
      rows.length ? dataTable(el, "my-events-table", ["ev.col.event", "ev.col.starts", "ev.col.status"], rows) : el("p", {}, t("ev.noneMine")),
      el("p", {}, el("a", { href: "/api/v1/me/events/calendar.ics", download: "my-events.ics", id: "my-calendar" }, t("ev.myCalendar")))));
  }
  main.replaceChildren(page);
}

// ---- an event's page

export async function eventPage(main: HTMLElement, el: El, id: number): Promise<void> {
  const path = `/api/v1/events/${id}`;
  const e = await getJson<EventData>(path);
  const signedIn = currentSession() !== null;
  let mine: Registration | null = null;
  if (signedIn) {
    try {
      mine = await getJson<Registration>(`${path}/registration`);
    } catch {
      mine = null;
    }
  }
  document.title = `${e.title} · Solidum`;
  const reload = () => eventPage(main, el, id);

  const facts = el("dl", { class: "figures", id: "event-facts" },
    el("dt", {}, t("ev.when")), el("dd", { id: "event-when" }, whenText(e)),
    el("dt", {}, t("ev.where")), el("dd", {}, whereText(e) || "—"),
    el("dt", {}, t("ev.organiser")), el("dd", {}, el("a", { href: `/organisations/${e.organiser.id}`, "data-link": "" }, e.organiser.name)),
    el("dt", {}, t("ev.placesLabel")), el("dd", { id: "event-places" }, placesText(e)));
  if (e.address) facts.append(el("dt", {}, t("ev.field.address")), el("dd", {}, e.address));
  if (e.languages.length) {
    facts.append(el("dt", {}, t("ev.field.languages")), el("dd", {}, e.languages.map((l) => {
      try {
        return new Intl.DisplayNames([lang()], { type: "language" }).of(l) ?? l;
      } catch {
        return l;
      }
    }).join(", ")));
  }
  if (e.registration_closes) facts.append(el("dt", {}, t("ev.closes")), el("dd", {}, wallTime(e.registration_closes)));

  const description = el("div", { class: "markdown", id: "event-description" });
  description.innerHTML = e.description_html ?? "";  // made safe by the server (libcmark, no raw HTML)
  for (const a of description.querySelectorAll("a")) a.setAttribute("rel", "noopener noreferrer nofollow ugc");

  const sessions = e.sessions ?? [];
  const programme = el("section", { id: "programme" }, el("h2", {}, t("ev.programme")));
  if (sessions.length) {
    programme.append(dataTable(el, "sessions", ["ev.col.when", "ev.col.session", "ev.col.room"], sessions.map((s) => [
      `${wallTime(s.starts_at)} – ${wallTime(s.ends_at, false)}`,
      el("span", {}, el("strong", {}, s.title), s.speakers ? ` — ${s.speakers}` : "", s.description ? el("br") : "", s.description),
      s.room])));
  } else {
    programme.append(el("p", {}, t("ev.noProgramme")));
  }
  const materials = (e.materials ?? []).length
    ? el("section", { id: "materials" }, el("h2", {}, t("ev.materials")), el("ul", {}, ...(e.materials ?? []).map((m) =>
      el("li", {}, el("a", { href: `/library/${m.id}`, "data-link": "", lang: m.language }, m.title)))))
    : "";
  const calendar = el("p", {}, el("a", { href: `${path}/calendar.ics?sessions=true`, download: `event-${id}.ics`, id: "event-calendar" }, t("ev.addToCalendar")));

  // Registering, or my registration.
  const reg = el("section", { id: "registration" }, el("h2", {}, t("ev.registration")));
  const status = el("p", { "aria-live": "polite", class: "form-status", id: "registration-status" });
  const closed = e.stage !== "published" || new Date(e.closes_utc) < new Date();
  if (e.stage === "cancelled") reg.append(el("p", { class: "notice" }, t("ev.wasCancelled")));
  else if (!signedIn) reg.append(el("p", {}, el("a", { href: "/sign-in", "data-link": "" }, t("ev.signInToRegister"))));
  else if (mine) {
    reg.append(el("p", { id: "my-status" }, mine.status === "waiting" ? t("ev.youWait", { n: mine.position ?? 0 }) : t("ev.youAreIn")));
    if (mine.online_url) reg.append(el("p", {}, t("ev.onlineLink"), " ", el("a", { href: mine.online_url, rel: "noopener noreferrer", id: "online-link" }, mine.online_url)));
    const cancel = el("button", { type: "button", id: "cancel-registration" }, t("ev.cancel"));
    cancel.addEventListener("click", async () => {
      if (!confirm(t("ev.confirmCancel"))) return;
      try {
        await sendJson("DELETE", `${path}/registration`, undefined);
        await reload();
      } catch (err) {
        if (!(err instanceof ProblemError)) throw err;
        status.textContent = errorText(err);
      }
    });
    reg.append(visibilityForm(el, path, mine, reload), el("p", { class: "actions" }, cancel), status);
  } else if (closed) {
    reg.append(el("p", {}, t("ev.closed")));
  } else {
    const full = e.places_left === 0;
    if (full) reg.append(el("p", { class: "notice" }, e.waiting_list ? t("ev.fullWait") : t("ev.full")));
    if (!full || e.waiting_list) reg.append(registrationForm(el, path, full, reload));
  }

  let participants: HTMLElement | string = "";
  if (mine?.status === "confirmed") participants = await participantsSection(el, `${path}/participants`);

  main.replaceChildren(el("article", { class: "event" },
    el("p", { class: "badge" }, t(`ev.kind.${e.kind}`)), el("h1", {}, e.title),
    e.stage === "cancelled" ? el("p", { class: "notice", id: "event-cancelled" }, t("ev.wasCancelled")) : "",
    e.summary ? el("p", { class: "summary" }, e.summary) : "", facts, calendar, reg, description, programme, materials, participants));
}

function registrationFields(el: El, r: Partial<Registration>) {
  const name = el("input", { type: "text", maxlength: "200", autocomplete: "name", value: r.name ?? "" });
  const organisation = el("input", { type: "text", maxlength: "200", autocomplete: "organization", value: r.organisation ?? "" });
  const country = el("input", { type: "text", maxlength: "2", size: "3", autocomplete: "country", value: r.country ?? "" });
  const box = (key: string, on: boolean) => el("input", { type: "checkbox", id: `field-${key}`, ...(on ? { checked: "" } : {}) });
  const show = { name: box("show_name", r.show_name ?? true), organisation: box("show_organisation", r.show_organisation ?? true), country: box("show_country", r.show_country ?? true) };
  const visibility = el("fieldset", { id: "visibility" }, el("legend", {}, t("ev.visibility")),
    ...(["name", "organisation", "country"] as const).map((k) => el("label", { class: "check" }, show[k], ` ${t(`ev.show.${k}`)}`)));
  const values = () => ({ name: name.value, organisation: organisation.value, country: country.value.trim() || null, language: lang(),
    show_name: show.name.checked, show_organisation: show.organisation.checked, show_country: show.country.checked });
  const fields = [labelledField(el, "ev.field.", "name", name), labelledField(el, "ev.field.", "organisation", organisation),
    labelledField(el, "ev.field.", "country", country, t("ev.hint.country")), visibility];
  return { fields, values };
}

function registrationForm(el: El, path: string, waiting: boolean, reload: () => Promise<void>): HTMLFormElement {
  const { fields, values } = registrationFields(el, {});
  return sendingForm(el, "register", waiting ? t("ev.joinWaiting") : t("ev.register"), fields, waiting ? t("ev.joinWaiting") : t("ev.register"), async () => {
    await sendJson("POST", `${path}/registration`, values());
    await reload();
  }, "ev.error.", (p) => p[0]);
}

function visibilityForm(el: El, path: string, mine: Registration, reload: () => Promise<void>): HTMLFormElement {
  const { fields, values } = registrationFields(el, mine);
  return sendingForm(el, "my-registration", t("ev.myDetails"), fields, t("ev.save"), async () => {
    await sendJson("PATCH", `${path}/registration`, values());
    await reload();
  }, "ev.error.", (p) => p[0]);
}

async function participantsSection(el: El, url: string): Promise<HTMLElement> {
  const list = await getJson<Participants>(url);
  const counts = (items: { value: string; count: number }[], label: (v: string) => string) =>
    el("ul", { class: "counts" }, ...items.map((c) => el("li", {}, `${label(c.value)}: ${c.count.toLocaleString(lang())}`)));
  const rows = list.items.map((p) => [p.name ?? "—", p.organisation ?? "—", p.country ? regionName(p.country) : "—"]);
  return el("section", { id: "participants" }, el("h2", {}, t("ev.participants")),
    el("p", {}, t("ev.participantsTotal", { n: list.total, shown: list.items.length })),
    list.by_country.length ? el("div", {}, el("h3", {}, t("ev.byCountry")), counts(list.by_country, regionName)) : "",
    list.by_organisation.length ? el("div", {}, el("h3", {}, t("ev.byOrganisation")), counts(list.by_organisation, (v) => v)) : "",
    rows.length ? dataTable(el, "participants-table", ["ev.field.name", "ev.field.organisation", "ev.field.country"], rows) : "");
}

// ---- the organiser's desk

function zoneList(el: El): HTMLDataListElement {
  const zones = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.("timeZone") ?? [];
  return el("datalist", { id: "zones" }, ...zones.map((z) => el("option", { value: z })));
}

export async function eventsDeskPage(main: HTMLElement, el: El, navigate: (path: string) => void, org: number): Promise<void> {
  const base = `/api/v1/organisations/${org}/events`;
  const [o, list] = await Promise.all([getJson<{ name: string }>(`/api/v1/organisations/${org}`), getJson<{ items: EventData[] }>(`${base}?limit=200`)]);
  document.title = `${t("ev.desk")} · ${o.name} · Solidum`;
  const rows = list.items.map((e) => [el("a", { href: `/organisations/${org}/events/${e.id}`, "data-link": "" }, e.title), t(`ev.kind.${e.kind}`),
    wallTime(e.starts_at), el("span", { class: `stage stage-${e.stage}` }, t(`ev.stage.${e.stage}`)), placesText(e)]);
  const table = rows.length ? dataTable(el, "organiser-events", ["ev.col.event", "ev.col.kind", "ev.col.starts", "ev.col.stage", "ev.col.places"], rows)
                            : el("p", {}, t("ev.none"));
  const kind = translatedSelect(el, KINDS, "ev.kind.");
  const title = el("input", { type: "text", maxlength: "300", required: "", autocomplete: "off" });
  const starts = el("input", { type: "datetime-local", required: "" });
  const ends = el("input", { type: "datetime-local", required: "" });
  const zone = el("input", { type: "text", list: "zones", maxlength: "64", required: "", value: readerZone(), autocomplete: "off" });
  const form = sendingForm(el, "new-event", t("ev.new"), [labelledField(el, "ev.field.", "kind", kind, "", "new-event-kind"),
    labelledField(el, "ev.field.", "title", title, "", "new-event-title"), labelledField(el, "ev.field.", "starts_at", starts, "", "new-event-starts_at"),
    labelledField(el, "ev.field.", "ends_at", ends, "", "new-event-ends_at"), labelledField(el, "ev.field.", "timezone", zone, t("ev.hint.timezone"), "new-event-timezone"),
    zoneList(el)], t("ev.create"), async () => {
    const made = await sendJson<EventData>("POST", base, { kind: kind.value, title: title.value, starts_at: starts.value, ends_at: ends.value, timezone: zone.value });
    navigate(`/organisations/${org}/events/${made.body.id}`);
  }, "ev.error.");
  main.replaceChildren(el("p", {}, el("a", { href: `/organisations/${org}`, "data-link": "" }, `← ${o.name}`)), el("h1", {}, t("ev.desk")), table, form);
}

// ---- an event's page for its organiser

export async function eventEditPage(main: HTMLElement, el: El, org: number, id: number, notice = ""): Promise<void> {
  const path = `/api/v1/organisations/${org}/events/${id}`;
  const [{ body: e, etag }, regs] = await Promise.all([sendJson<EventData>("GET", path, undefined), getJson<{ items: Registration[] }>(`${path}/registrations`)]);
  const ifMatch = { "If-Match": etag ?? "" };
  const reload = (msg = "") => eventEditPage(main, el, org, id, msg);
  document.title = `${e.title} · Solidum`;
  const status = el("p", { "aria-live": "polite", class: "form-status", id: "event-status" }, notice);

  const input = (value: string, attrs: Record<string, string> = {}) => el("input", { type: "text", value, autocomplete: "off", ...attrs });
  const kind = translatedSelect(el, KINDS, "ev.kind.");
  kind.value = e.kind;
  const f = {
    title: input(e.title, { maxlength: "300" }), summary: el("textarea", { rows: "2", maxlength: "2000" }, e.summary),
    description: el("textarea", { rows: "8", maxlength: "50000" }, e.description ?? ""),
    starts_at: input(e.starts_at, { type: "datetime-local" }), ends_at: input(e.ends_at, { type: "datetime-local" }),
    timezone: input(e.timezone, { list: "zones", maxlength: "64" }), registration_closes: input(e.registration_closes ?? "", { type: "datetime-local" }),
    venue: input(e.venue, { maxlength: "300" }), address: el("textarea", { rows: "2", maxlength: "300" }, e.address), city: input(e.city, { maxlength: "300" }),
    country: input(e.country, { maxlength: "2", size: "3" }), online_url: input(e.online_url ?? "", { type: "url", maxlength: "2000" }),
    languages: input(e.languages.join(", ")), capacity: input(e.capacity === null ? "" : String(e.capacity), { type: "number", min: "1" }),
    materials: input((e.material_ids ?? []).join(", ")),
  };
  const waitingList = el("input", { type: "checkbox", id: "field-waiting_list", ...(e.waiting_list ? { checked: "" } : {}) });
  const list = (s: string) => s.split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean);
  const form = el("form", { class: "form", id: "event-form" }, labelledField(el, "ev.field.", "kind", kind),
    ...Object.entries(f).map(([k, c]) => labelledField(el, "ev.field.", k, c, hasMessage(`ev.hint.${k}`) ? t(`ev.hint.${k}`) : "")),
    el("label", { class: "check" }, waitingList, ` ${t("ev.field.waiting_list")}`), zoneList(el), el("button", { type: "submit" }, t("ev.save")));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    status.textContent = "";
    const changes = {
      kind: kind.value, title: f.title.value, summary: f.summary.value, description: f.description.value, starts_at: f.starts_at.value, ends_at: f.ends_at.value,
      timezone: f.timezone.value, registration_closes: f.registration_closes.value || null, venue: f.venue.value, address: f.address.value, city: f.city.value,
      country: f.country.value.trim() || null, online_url: f.online_url.value.trim() || null, languages: list(f.languages.value),
      capacity: f.capacity.value ? Number(f.capacity.value) : null, waiting_list: waitingList.checked, materials: list(f.materials.value).map(Number),
    };
    try {
      await sendJson("PATCH", path, changes, ifMatch);
      await reload(t("ev.saved"));
    } catch (err) {
      if (!(err instanceof ProblemError)) throw err;
      const focus = showFieldErrors(form, err, (p) => p[0]);
      if (!focus) status.textContent = errorText(err);
      focus?.focus();
    }
  });

  // Publishing and cancelling.
  const moves: [string, string][] = [];
  if (e.stage === "draft") moves.push(["published", "ev.publish"]);
  if (e.stage === "published") moves.push(["cancelled", "ev.cancelEvent"]);
  if (e.stage === "published" && e.confirmed + e.waiting === 0) moves.push(["draft", "ev.unpublish"]);
  const workflow = el("section", { id: "event-workflow" }, el("p", {}, t("ev.stageNow"), " ", el("strong", { id: "event-stage" }, t(`ev.stage.${e.stage}`))));
  for (const [to, label] of moves) {
    const b = el("button", { type: "button" }, t(label));
    b.addEventListener("click", async () => {
      if (to === "cancelled" && !confirm(t("ev.confirmCancelEvent"))) return;
      try {
        await sendJson("POST", `${path}/stage`, { stage: to }, ifMatch);
        await reload(t(`ev.moved.${to}`));
      } catch (err) {
        if (!(err instanceof ProblemError)) throw err;
        status.textContent = err.fields.length ? `${t(`ev.field.${err.fields[0].field.slice(1)}`)}: ${err.fields[0].message}` : errorText(err);
      }
    });
    workflow.append(b, " ");
  }
  if (e.stage !== "draft") workflow.append(el("a", { href: `/events/${id}`, "data-link": "", id: "event-public-link" }, t("ev.seePublic")));

  // The programme.
  const sessions = e.sessions ?? [];
  const programme = el("section", { id: "programme" }, el("h2", {}, t("ev.programme")));
  if (sessions.length) {
    programme.append(dataTable(el, "sessions", ["ev.col.when", "ev.col.session", "ev.col.room", "ev.col.actions"], sessions.map((s) => {
      const remove = el("button", { type: "button", class: "link" }, t("ev.remove"));
      remove.addEventListener("click", async () => {
        await sendJson("DELETE", `${path}/sessions/${s.id}`, undefined);
        await reload();
      });
      return [`${wallTime(s.starts_at)} – ${wallTime(s.ends_at, false)}`, s.title, s.room, remove];
    })));
  }
  const sTitle = el("input", { type: "text", maxlength: "300" });
  const sStarts = el("input", { type: "datetime-local", value: e.starts_at });
  const sEnds = el("input", { type: "datetime-local", value: e.starts_at });
  const sRoom = el("input", { type: "text", maxlength: "300" });
  const sSpeakers = el("input", { type: "text", maxlength: "1000" });
  programme.append(sendingForm(el, "new-session", t("ev.addSession"), [labelledField(el, "ev.field.", "title", sTitle, "", "new-session-title"),
    labelledField(el, "ev.field.", "starts_at", sStarts, "", "new-session-starts_at"), labelledField(el, "ev.field.", "ends_at", sEnds, "", "new-session-ends_at"),
    labelledField(el, "ev.field.", "room", sRoom, "", "new-session-room"), labelledField(el, "ev.field.", "speakers", sSpeakers, "", "new-session-speakers")],
  t("ev.addSession"), async () => {
    await sendJson("POST", `${path}/sessions`, { title: sTitle.value, starts_at: sStarts.value, ends_at: sEnds.value, room: sRoom.value, speakers: sSpeakers.value });
    await reload();
  }, "ev.error."));

  // Registrations.
  const regRows = regs.items.filter((r) => r.status !== "cancelled").map((r) => {
    const cancel = el("button", { type: "button", class: "link" }, t("ev.cancelFor"));
    cancel.addEventListener("click", async () => {
      if (!confirm(t("ev.confirmCancelFor", { name: r.name }))) return;
      await sendJson("DELETE", `${path}/registrations/${r.id}`, undefined);
      await reload();
    });
    return [r.name, r.email ?? "", r.organisation, r.country ? regionName(r.country) : "", r.status === "waiting" ? t("ev.waitingAt", { n: r.position ?? 0 }) : t(`ev.status.${r.status}`), cancel];
  });
  const registrations = el("section", { id: "registrations" }, el("h2", {}, t("ev.registrations")), el("p", {}, placesText(e)),
    regRows.length ? dataTable(el, "registrations-table", ["ev.field.name", "ev.col.email", "ev.field.organisation", "ev.field.country", "ev.col.status", "ev.col.actions"], regRows)
                   : el("p", {}, t("ev.noRegistrations")));

  main.replaceChildren(el("p", {}, el("a", { href: `/organisations/${org}/events`, "data-link": "" }, `← ${t("ev.desk")}`)),
    el("h1", {}, e.title), status, workflow, el("section", {}, el("h2", {}, t("ev.details")), form), programme, registrations);
}

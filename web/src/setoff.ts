// A network's multilateral set-off, for its admins: upload the obligations between its
// firms, see how much debt cancels without money (as figures and charts), find a firm, and
// download what is left to pay and each firm's set-off. Amounts are the file's own integer
// units, shown grouped, never rounded.
import { getJson, ProblemError, sendFile, sendJson, type Organisation } from "./api";
import { barChart } from "./chart";
import type { El } from "./forms";
import { hasMessage, lang, t } from "./i18n";

interface Run {
  id: number; title: string; created_at: string; obligations: number; firms: number; total: number; nid: number;
  cleared: number; remaining: number; firms_with_setoff: number;
}
interface Firm { index: number; name: string; owes: number; owed: number; set_off: number; owes_after: number; owed_after: number; net_position: number }
interface Page<T> { items: T[]; total: number; next_cursor: string | null }

const grouped = (v: number) => v.toLocaleString(lang());
// For charts, whose value labels have little room: "61.2B", "535M", "380".
const compact = (v: number) => new Intl.NumberFormat(lang(), { notation: "compact", maximumFractionDigits: 1 }).format(v);
const percent = (part: number, whole: number) =>
  (whole === 0 ? 0 : part / whole).toLocaleString(lang(), { style: "percent", maximumFractionDigits: 1 });

export async function setOffRunsPage(main: HTMLElement, el: El, navigate: (path: string) => void, network: number): Promise<void> {
  const [org, runs] = await Promise.all([
    getJson<Organisation>(`/api/v1/organisations/${network}`),
    getJson<Page<Run>>(`/api/v1/organisations/${network}/setoff-runs?limit=100`),
  ]);
  document.title = `${t("setoff.title")} · ${org.name} · Solidum`;
  const title = el("input", { type: "text", id: "field-title", maxlength: "200", required: "", autocomplete: "off" });
  title.value = new Intl.DateTimeFormat(lang(), { month: "long", year: "numeric" }).format(new Date());
  const file = el("input", { type: "file", id: "field-file", accept: ".csv,text/csv", required: "", "aria-describedby": "hint-file" });
  const errorOf = (name: string) => el("p", { class: "field-error", id: `error-${name}`, hidden: "" });
  const status = el("p", { "aria-live": "polite", id: "setoff-status" });
  const submit = el("button", { type: "submit" }, t("setoff.submit"));
  const form = el("form", { class: "form" },
    el("div", { class: "field" }, el("label", { for: "field-title" }, t("setoff.runTitle")), title, errorOf("title")),
    el("div", { class: "field" }, el("label", { for: "field-file" }, t("setoff.file")), file,
       el("p", { class: "hint", id: "hint-file" }, t("setoff.fileHint")), errorOf("file")),
    submit, status);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    for (const p of form.querySelectorAll<HTMLElement>(".field-error")) p.hidden = true;
    for (const c of form.querySelectorAll("[aria-invalid]")) c.removeAttribute("aria-invalid");
    const f = file.files?.[0];
    if (!f) return file.focus();
    submit.disabled = true;
    status.textContent = t("setoff.working");
    try {
      const run = await sendFile<Run>(`/api/v1/organisations/${network}/setoff-runs?title=${encodeURIComponent(title.value)}`, f, "text/csv");
      navigate(`/networks/${network}/setoff/${run.id}`);
    } catch (err) {
      status.textContent = "";
      if (!(err instanceof ProblemError) || err.fields.length === 0) {
        status.textContent = t("error.load", { message: err instanceof Error ? err.message : String(err) });
        return;
      }
      // "/title" is the title's; anything else ("line 12", "") is the file's.
      const f0 = err.fields[0];
      const name = f0.field === "/title" ? "title" : "file";
      const p = form.querySelector<HTMLElement>(`#error-${name}`)!;
      const line = f0.field.match(/^line (\d+)$/);
      p.textContent = line ? t("setoff.line", { line: line[1], message: f0.message }) : f0.message;
      p.hidden = false;
      const control = name === "title" ? title : file;
      control.setAttribute("aria-invalid", "true");
      control.setAttribute("aria-describedby", p.id);
      control.focus();
    } finally {
      submit.disabled = false;
    }
  });
  const table = runs.items.length === 0 ? el("p", {}, t("setoff.none")) : el("table", { class: "members", id: "setoff-runs" },
    el("thead", {}, el("tr", {}, ...["title", "date", "obligations", "firms", "total", "cleared", "remaining"].map((c) =>
      el("th", { scope: "col" }, t(`setoff.col.${c}`))))),
    el("tbody", {}, ...runs.items.map((r) => el("tr", {},
      el("td", {}, el("a", { href: `/networks/${network}/setoff/${r.id}`, "data-link": "" }, r.title)),
      el("td", {}, new Date(r.created_at).toLocaleString(lang())),
      el("td", { class: "num" }, grouped(r.obligations)), el("td", { class: "num" }, grouped(r.firms)),
      el("td", { class: "num" }, grouped(r.total)),
      el("td", { class: "num" }, `${grouped(r.cleared)} (${percent(r.cleared, r.total)})`),
      el("td", { class: "num" }, grouped(r.remaining))))));
  main.replaceChildren(
    el("p", {}, el("a", { href: `/networks/${network}`, "data-link": "" }, "← " + org.name)),
    el("h1", {}, `${t("setoff.title")} · ${org.name}`),
    el("p", {}, t("setoff.intro")),
    el("h2", {}, t("setoff.new")), form,
    el("h2", {}, t("setoff.runs")), table);
}

export async function setOffRunPage(main: HTMLElement, el: El, network: number, id: number): Promise<void> {
  const base = `/api/v1/organisations/${network}/setoff-runs/${id}`;
  const [org, run, top] = await Promise.all([
    getJson<Organisation>(`/api/v1/organisations/${network}`),
    getJson<Run>(base),
    getJson<Page<Firm>>(`${base}/firms?with_setoff=true&limit=12`),
  ]);
  document.title = `${run.title} · ${t("setoff.title")} · Solidum`;
  const figure = (label: string, value: string, hint = "") =>
    el("div", { class: "figure" }, el("dt", {}, label), el("dd", {}, value), hint ? el("dd", { class: "hint" }, hint) : "");
  const figures = el("dl", { class: "figures wide" },
    figure(t("setoff.col.obligations"), grouped(run.obligations)),
    figure(t("setoff.col.firms"), grouped(run.firms)),
    figure(t("setoff.col.total"), grouped(run.total)),
    figure(t("setoff.col.cleared"), `${grouped(run.cleared)} (${percent(run.cleared, run.total)})`),
    figure(t("setoff.col.remaining"), grouped(run.remaining)),
    figure(t("setoff.nid"), grouped(run.nid), t("setoff.nidHint")),
    figure(t("setoff.firmsWith"), grouped(run.firms_with_setoff)));
  const charts = el("div", { class: "charts" },
    barChart(t("setoff.beforeAfter"), [
      { label: t("setoff.col.total"), value: run.total },
      { label: t("setoff.col.cleared"), value: run.cleared },
      { label: t("setoff.col.remaining"), value: run.remaining },
      { label: t("setoff.nid"), value: run.nid },
    ], false, 4, compact),
    barChart(t("setoff.topFirms"), top.items.map((f) => ({ label: f.name, value: f.set_off })), false, 12, compact));
  const downloads = el("p", { class: "actions" },
    el("a", { href: `${base}/remaining.csv`, class: "button", download: "" }, t("setoff.downloadRemaining")), " ",
    el("a", { href: `${base}/firms.csv`, class: "button", download: "" }, t("setoff.downloadFirms")));

  // The firms, largest set-off first: search by name, only those with a set-off, more.
  const q = el("input", { type: "search", id: "firm-search", autocomplete: "off" });
  const only = el("input", { type: "checkbox", id: "firm-with" });
  const tbody = el("tbody", {});
  const count = el("p", { "aria-live": "polite", id: "firm-count" });
  const more = el("button", { type: "button", hidden: "" }, t("list.more"));
  let cursor: string | null = null;
  const columns = ["owes", "owed", "set_off", "owes_after", "owed_after"] as const;
  const load = async (reset: boolean) => {
    const params = new URLSearchParams({ limit: "50" });
    if (q.value.trim()) params.set("q", q.value.trim());
    if (only.checked) params.set("with_setoff", "true");
    if (!reset && cursor) params.set("cursor", cursor);
    const page = await getJson<Page<Firm>>(`${base}/firms?${params}`);
    if (reset) tbody.replaceChildren();
    for (const f of page.items) {
      tbody.append(el("tr", {}, el("th", { scope: "row" }, f.name), ...columns.map((c) => el("td", { class: "num" }, grouped(f[c])))));
    }
    cursor = page.next_cursor;
    more.hidden = cursor === null;
    count.textContent = t("setoff.shown", { shown: grouped(tbody.children.length), total: grouped(page.total) });
  };
  let typing = 0;
  q.addEventListener("input", () => {
    clearTimeout(typing);
    typing = window.setTimeout(() => void load(true), 250);
  });
  only.addEventListener("change", () => void load(true));
  more.addEventListener("click", () => void load(false));
  const firms = el("section", {},
    el("h2", {}, t("setoff.firmsTitle")),
    el("p", { class: "filters" }, el("label", { for: "firm-search" }, t("setoff.search") + " "), q, " ",
       only, el("label", { for: "firm-with" }, " " + t("setoff.withSetOff"))),
    count,
    el("table", { class: "members", id: "setoff-firms" },
       el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("setoff.col.firm")),
          ...columns.map((c) => el("th", { scope: "col" }, t(`setoff.col.${c}`))))),
       tbody),
    more);
  main.replaceChildren(
    el("p", {}, el("a", { href: `/networks/${network}/setoff`, "data-link": "" }, "← " + `${t("setoff.title")} · ${org.name}`)),
    el("h1", {}, run.title),
    el("p", { class: "hint" }, new Date(run.created_at).toLocaleString(lang())),
    figures, charts, downloads, await postingForm(el, network, id), firms);
  await load(true);
}

// Posting the run into one of the network's currencies: each firm's statement records its
// set-off, balances unchanged (clearing/posting.h).
async function postingForm(el: El, network: number, id: number): Promise<HTMLElement | string> {
  const currencies = (await getJson<{ items: { id: number; code: string; name: string }[] }>(`/api/v1/organisations/${network}/currencies`)).items;
  if (currencies.length === 0) return "";
  const currency = el("select", { id: "post-currency" }, ...currencies.map((c) => el("option", { value: String(c.id) }, `${c.name} (${c.code})`)));
  const result = el("div", { "aria-live": "polite", id: "post-result" });
  const submit = el("button", { type: "submit" }, t("setoff.post.submit"));
  const form = el("form", { class: "form", "aria-labelledby": "post-title" },
    el("h2", { id: "post-title" }, t("setoff.post.title")), el("p", { class: "hint" }, t("setoff.post.hint")),
    el("div", { class: "field" }, el("label", { for: "post-currency" }, t("setoff.post.currency")), currency), submit, result);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    submit.disabled = true;
    result.replaceChildren(el("p", {}, t("setoff.post.working")));
    try {
      const r = (await sendJson<{ firms: number; posted: number; replayed: number; refused: { firm: string; code: string }[] }>(
        "POST", `/api/v1/organisations/${network}/setoff-runs/${id}/postings`, { currency_id: Number(currency.value) })).body;
      result.replaceChildren(el("p", { role: "status" }, t("setoff.post.done", { posted: grouped(r.posted), replayed: grouped(r.replayed),
                                                                                    refused: grouped(r.refused.length) })),
        r.refused.length ? el("ul", {}, ...r.refused.map((f) => el("li", {}, `${f.firm}: ${hasMessage(`pay.refused.${f.code}`) ? t(`pay.refused.${f.code}`) : f.code}`))) : "");
    } catch (err) {
      result.replaceChildren(el("p", { class: "error", role: "alert" }, err instanceof ProblemError && err.fields[0] ? err.fields[0].message : String(err instanceof Error ? err.message : err)));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

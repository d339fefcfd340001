// The year-end surplus allocation of a co-operative, in the browser: compute a draft from
// the statutes' rules and each member's work or use (their capital comes from the share
// register), review it line by line with a chart of where the surplus goes, record the
// assembly's vote on it, and post it to the share-capital ledger.
import { getJson, ProblemError, sendJson, type Organisation } from "./api";
import { barChart } from "./chart";
import { clearErrors, labelledField, showFieldErrors, type El } from "./forms";
import { hasMessage, t } from "./i18n";
import { formatAmount, parseAmount, parseQuantity } from "./ledger";

interface Line { member_id: number; member: string; capital: number; patronage: number; interest: number; refund: number }
interface Allocation {
  id: number; year: string; status: string; basis: string; surplus: number; reserve: number; fund: number; interest: number; refunds: number;
  retained: number; version: number; decision: { adopted: boolean; yes?: number; no?: number; abstain?: number } | null; lines?: Line[];
}
interface Vote { assembly_id: number; assembly_title: string; starts_at: string; item_id: number; title: string; adopted: boolean }

const RULES = ["reserve_bp", "reserve_min_bp", "fund_bp", "share_interest_bp", "share_interest_cap_bp", "refunds_bp"] as const;

export async function surplusPage(main: HTMLElement, el: El, org: number, selected?: number, notice = ""): Promise<void> {
  const base = `/api/v1/organisations/${org}/surplus-allocations`;
  const organisation = await getJson<Organisation>(`/api/v1/organisations/${org}`);
  document.title = `${t("su.title")} · ${organisation.name} · Solidum`;
  const back = el("p", {}, el("a", { href: `/organisations/${org}`, "data-link": "" }, `← ${organisation.name}`));
  let book: { unit: string; decimals: number };
  try {
    book = await getJson<{ unit: string; decimals: number }>(`/api/v1/organisations/${org}/shares`);
  } catch {
    main.replaceChildren(back, el("h1", {}, t("su.title")), el("p", {}, t("su.noBook"),
      " ", el("a", { href: `/organisations/${org}/shares`, "data-link": "" }, t("sh.link"))));
    return;
  }
  const money = (v: number) => `${formatAmount(v, book.decimals)} ${book.unit}`;
  const reload = (id?: number, message = "") => surplusPage(main, el, org, id, message);
  const [list, members] = await Promise.all([
    getJson<{ items: Allocation[] }>(base), getJson<{ items: { id: number; name: string; number: string | null }[] }>(`/api/v1/organisations/${org}/members?limit=500`)]);
  const status = el("p", { role: "status", id: "surplus-notice" }, notice);
  const failed = (f: HTMLElement, err: unknown) => {
    if (!(err instanceof ProblemError)) throw err;
    const first = showFieldErrors(f, err, (p) => `surplus-${p[0] === "rules" ? p[1] ?? "rules" : p[0] === "members" ? `patronage-${p[1]}` : p[0]}`);
    if (first) first.focus();
    else status.textContent = hasMessage(`su.error.${err.code}`) ? t(`su.error.${err.code}`) : err.fields.map((x) => x.message).join(" ") || err.message;
  };

  const years = el("ul", { id: "allocations" }, ...list.items.map((a) =>
    el("li", {}, el("a", { href: "#", "data-id": String(a.id) }, `${a.year} — ${money(a.surplus)} — ${t(`su.status.${a.status}`)}`))));
  years.addEventListener("click", (e) => {
    const id = (e.target as HTMLElement).closest("a")?.getAttribute("data-id");
    if (!id) return;
    e.preventDefault();
    void reload(Number(id));
  });

  const sections: HTMLElement[] = [];
  const current = selected ?? list.items[0]?.id;
  if (current) sections.push(await allocationSection(el, base, current, money, (message) => reload(current, message), status));

  // A new draft: the rules in percent, each member's work or use.
  const year = el("input", { type: "text", required: "", maxlength: "20", value: String(new Date().getUTCFullYear() - 1) });
  const surplus = el("input", { type: "text", inputmode: "decimal", required: "" });
  const basis = el("select", {});
  for (const b of ["hours", "wages", "purchases"]) basis.append(el("option", { value: b }, t(`su.basis.${b}`)));
  const defaults: Record<string, string> = { reserve_bp: "15", reserve_min_bp: "15", fund_bp: "0", share_interest_bp: "0", share_interest_cap_bp: "0", refunds_bp: "100" };
  const rules = Object.fromEntries(RULES.map((k) => [k, el("input", { type: "text", inputmode: "decimal", value: defaults[k] })])) as Record<string, HTMLInputElement>;
  const patronage = members.items.map((m) => ({ m, input: el("input", { type: "number", min: "0", value: "0", "aria-label": `${t("su.patronageOf")} ${m.name}` }) }));
  const rows = patronage.map(({ m, input }, i) => {
    input.id = `field-surplus-patronage-${i}`;
    return el("tr", {}, el("td", {}, m.number ? `${m.name} (${m.number})` : m.name), el("td", {}, input, el("p", { class: "field-error", id: `error-surplus-patronage-${i}`, hidden: "" })));
  });
  const field = (k: string, c: HTMLElement, hint = "") => labelledField(el, "su.field.", k, c, hint, `surplus-${k}`);
  const form = el("form", { class: "form", id: "surplus-form" }, el("h2", {}, t("su.create")), el("p", {}, t("su.intro")),
    field("year", year), field("surplus", surplus, book.unit), field("basis", basis), ...RULES.map((k) => field(k, rules[k], t(`su.hint.${k}`))),
    el("table", { class: "data", id: "patronage" }, el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("su.col.member")), el("th", { scope: "col" }, t("su.col.patronage")))),
       el("tbody", {}, ...rows)),
    el("button", { type: "submit" }, t("su.createSubmit")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    try {
      const amount = parseAmount(surplus.value, book.decimals);
      if (amount === null) throw new ProblemError(400, "", "validation_failed", [{ field: "/surplus", code: "invalid", message: t("su.error.amount") }]);
      const bp: Record<string, number> = {};
      for (const k of RULES) {
        const v = parseQuantity(rules[k].value, 2);  // a percentage with 2 decimals is basis points
        if (v === null) throw new ProblemError(400, "", "validation_failed", [{ field: `/rules/${k}`, code: "invalid", message: t("su.error.percent") }]);
        bp[k] = v;
      }
      const r = await sendJson<Allocation>("POST", base, {
        year: year.value, surplus: amount, rules: { ...bp, basis: basis.value },
        members: patronage.map(({ m, input }) => ({ member_id: m.id, patronage: Number(input.value || 0) })) });
      await reload(r.body.id, t("su.created"));
    } catch (err) {
      failed(form, err);
    }
  });
  main.replaceChildren(back, el("h1", {}, t("su.title")), el("p", { class: "intro" }, t("su.lead")), status,
    ...(list.items.length ? [el("h2", {}, t("su.years")), years] : []), ...sections, form);
}

async function allocationSection(el: El, base: string, id: number, money: (v: number) => string, reload: (message: string) => Promise<void>,
                                 status: HTMLElement): Promise<HTMLElement> {
  const a = await getJson<Allocation>(`${base}/${id}`);
  const ifMatch = { "If-Match": `"v${a.version}"` };
  const dl = el("dl", { class: "figures", id: "allocation-figures" });
  for (const k of ["surplus", "reserve", "fund", "interest", "refunds", "retained"] as const) {
    dl.append(el("dt", {}, t(`su.figure.${k}`)), el("dd", { id: `allocation-${k}` }, money(a[k])));
  }
  const parts = ["reserve", "fund", "interest", "refunds", "retained"] as const;
  const chart = barChart(t("su.chart"), parts.map((k) => ({ label: t(`su.figure.${k}`), value: a[k] })), false, 12, money);
  const lines = el("table", { class: "data", id: "allocation-lines" },
    el("thead", {}, el("tr", {}, ...["su.col.member", "su.col.patronage", "su.col.capital", "su.col.interest", "su.col.refund"].map((h) => el("th", { scope: "col" }, t(h))))),
    el("tbody", {}, ...(a.lines ?? []).map((l) => el("tr", {}, ...[l.member, String(l.patronage), money(l.capital), money(l.interest), money(l.refund)].map((c) => el("td", {}, c))))));
  const actions: HTMLElement[] = [];
  if (a.status === "draft") {
    const votes = (await getJson<{ items: Vote[] }>(`${base}/votes`)).items;
    if (!votes.length) {
      actions.push(el("p", {}, t("su.noVote")));
    } else {
      const select = el("select", {});
      for (const v of votes) {
        select.append(el("option", { value: `${v.assembly_id}:${v.item_id}` },
          `${v.starts_at.slice(0, 10)} ${v.assembly_title} — ${v.title} (${v.adopted ? t("fl.adopted") : t("fl.notAdopted")})`));
      }
      const f = el("form", { class: "form", id: "allocation-decision" }, el("h3", {}, t("su.decide")),
        labelledField(el, "su.field.", "item", select, t("su.hint.item"), "allocation-item"), el("button", { type: "submit" }, t("su.decideSubmit")));
      f.addEventListener("submit", async (e) => {
        e.preventDefault();
        clearErrors(f);
        const [assembly_id, item_id] = select.value.split(":").map(Number);
        try {
          await sendJson("POST", `${base}/${a.id}/decision`, { assembly_id, item_id }, ifMatch);
          await reload(t("su.decided"));
        } catch (err) {
          if (!(err instanceof ProblemError)) throw err;
          status.textContent = hasMessage(`su.error.${err.code}`) ? t(`su.error.${err.code}`) : err.message;
        }
      });
      actions.push(f);
    }
  }
  if (a.status === "approved") {
    const b = el("button", { type: "button", id: "allocation-post" }, t("su.post"));
    b.addEventListener("click", async () => {
      try {
        await sendJson("POST", `${base}/${a.id}/post`, undefined, ifMatch);
        await reload(t("su.posted"));
      } catch (err) {
        if (!(err instanceof ProblemError)) throw err;
        status.textContent = err.message;
      }
    });
    actions.push(el("p", {}, b));
  }
  return el("section", { id: "allocation" }, el("h2", {}, `${t("su.allocation")} ${a.year} — ${t(`su.status.${a.status}`)}`),
    dl, chart, lines, ...actions);
}

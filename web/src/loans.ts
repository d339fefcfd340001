// The loan simulator: anyone tries a loan's terms and sees every instalment, computed by
// the server exactly as a fund's contract would be (GET /api/v1/loan-schedule), as a
// table and as charts of what is repaid each year. Amounts are typed and shown in the
// currency's unit with two decimals, and travel as integer minor units.
import { ProblemError } from "./api";
import { barChart } from "./chart";
import { clearErrors, labelledField, showFieldErrors, translatedSelect, type El } from "./forms";
import { lang, t } from "./i18n";
import { formatAmount, parseAmount } from "./ledger";

interface Instalment { number: number; due: string; principal: number; interest: number; total: number; balance: number; capitalised: number }
interface Schedule { total_principal: number; total_interest: number; total_capitalised: number; total: number; instalments: Instalment[] }

// The schedule, or a ProblemError whose fields name the bad parameters ("?principal").
async function fetchSchedule(query: URLSearchParams): Promise<Schedule> {
  const r = await fetch(`/api/v1/loan-schedule?${query}`, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  const j = await r.json().catch(() => ({}));
  if (!r.ok) throw new ProblemError(r.status, j.detail || j.title || r.statusText, j.code || "", j.errors || []);
  return j as Schedule;
}

// A rate typed in percent with up to 4 decimals, in parts per million a year ("5.25" ->
// 52,500); zero is a rate, which parseAmount (positive amounts) does not take.
// Amounts are typed and shown with two decimals.
const money = (minor: number) => formatAmount(minor, 2);

function toPpm(text: string): number | null {
  if (/^0+(?:[.,]0*)?$/.test(text.trim())) return 0;
  return parseAmount(text, 4);
}

export function loanSimulatorPage(main: HTMLElement, el: El): void {
  document.title = `${t("loans.title")} · Solidum`;
  const next = new Date();
  next.setUTCMonth(next.getUTCMonth() + 1, 1);
  const amount = el("input", { type: "text", inputmode: "decimal", required: "", autocomplete: "off" });
  amount.value = "10000";
  const rate = el("input", { type: "text", inputmode: "decimal", required: "", autocomplete: "off" });
  rate.value = "5";
  const method = translatedSelect(el, ["equal_instalments", "equal_principal", "flat", "interest_free"], "loans.method.");
  const period = translatedSelect(el, ["monthly", "quarterly", "weekly"], "loans.period.");
  const instalments = el("input", { type: "number", min: "1", max: "1560", required: "" });
  instalments.value = "24";
  const gracePrincipal = el("input", { type: "number", min: "0", max: "1559" });
  gracePrincipal.value = "0";
  const graceInterest = el("input", { type: "number", min: "0", max: "1559" });
  graceInterest.value = "0";
  const rule = translatedSelect(el, ["deferred", "capitalised", "waived"], "loans.rule.");
  const firstDue = el("input", { type: "date", required: "" });
  firstDue.value = next.toISOString().slice(0, 10);
  const submit = el("button", { type: "submit" }, t("loans.submit"));
  const f = (name: string, control: HTMLElement, hint = "") => labelledField(el, "loans.field.", name, control, hint);
  const form = el("form", { class: "form", novalidate: "" },
    f("amount", amount), f("rate", rate, t("loans.hint.rate")), f("method", method), f("period", period), f("instalments", instalments),
    f("grace_principal", gracePrincipal, t("loans.hint.grace")), f("grace_interest", graceInterest), f("grace_interest_rule", rule),
    f("first_due", firstDue), submit);
  const result = el("section", { "aria-live": "polite", id: "loan-result" });
  // The server's parameters, by the form's field names.
  const fieldOf: Record<string, string> = { principal: "amount", annual_rate_ppm: "rate" };

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    const principal = parseAmount(amount.value, 2);
    const ppm = toPpm(rate.value);
    const local: ProblemError = new ProblemError(400, "", "validation_failed", []);
    if (principal === null) local.fields.push({ field: "/amount", code: "invalid", message: t("loans.error.amount") });
    if (ppm === null) local.fields.push({ field: "/rate", code: "invalid", message: t("loans.error.rate") });
    if (local.fields.length) {
      showFieldErrors(form, local)?.focus();
      return;
    }
    const q = new URLSearchParams({
      principal: String(principal), annual_rate_ppm: String(ppm), method: method.value, period: period.value,
      instalments: instalments.value, grace_principal: gracePrincipal.value, grace_interest: graceInterest.value,
      grace_interest_rule: rule.value, first_due: firstDue.value,
    });
    submit.disabled = true;
    try {
      show(await fetchSchedule(q));
    } catch (err) {
      if (!(err instanceof ProblemError)) throw err;
      const first = showFieldErrors(form, err, (p) => { const k = p[0].replace(/^\?/, ""); return fieldOf[k] ?? k; });
      if (first) first.focus();
      else result.replaceChildren(el("p", { class: "error", role: "alert" }, err.message));
    } finally {
      submit.disabled = false;
    }
  });

  function show(s: Schedule): void {
    const head = el("tr", {}, ...["number", "due", "principal", "interest", "total", "balance"].map((c) => el("th", { scope: "col" }, t(`loans.col.${c}`))));
    const body = el("tbody");
    for (const i of s.instalments) {
      body.append(el("tr", {}, el("td", {}, String(i.number)), el("td", {}, new Date(`${i.due}T00:00:00Z`).toLocaleDateString(lang(), { timeZone: "UTC" })),
        el("td", { class: "num" }, money(i.principal)), el("td", { class: "num" }, money(i.interest)),
        el("td", { class: "num" }, money(i.total)), el("td", { class: "num" }, money(i.balance))));
    }
    const byYear = new Map<string, { principal: number; interest: number }>();
    for (const i of s.instalments) {
      const y = byYear.get(i.due.slice(0, 4)) ?? { principal: 0, interest: 0 };
      y.principal += i.principal;
      y.interest += i.interest;
      byYear.set(i.due.slice(0, 4), y);
    }
    const years = [...byYear.entries()];
    const children: Node[] = [
      el("h2", {}, t("loans.resultTitle")),
      el("p", { id: "loan-summary" }, t("loans.summary", { count: String(s.instalments.length), interest: money(s.total_interest), total: money(s.total) })),
    ];
    if (s.total_capitalised > 0) children.push(el("p", {}, t("loans.capitalised", { amount: money(s.total_capitalised) })));
    children.push(
      el("div", { class: "charts" },
        barChart(t("loans.chart.principal"), years.map(([y, v]) => ({ label: y, value: v.principal })), false, 40, money),
        barChart(t("loans.chart.interest"), years.map(([y, v]) => ({ label: y, value: v.interest })), false, 40, money)),
      el("table", { class: "table", id: "loan-table" }, el("caption", { class: "sr" }, t("loans.resultTitle")), el("thead", {}, head), body));
    result.replaceChildren(...children);
  }

  main.replaceChildren(el("h1", {}, t("loans.title")), el("p", { class: "intro" }, t("loans.intro")), form, result);
}

// Loans from a solidarity fund, in the browser: the fund's dashboard (portfolio figures and
// charts, the pipeline of applications by stage, its loans, its products), an
// application's page (notes, review, the committee's decision, the contract), a loan's page
// (schedule with what is paid, tranches to disburse, repayments, write-off), and the page
// where an organisation applies and follows its applications. Amounts are typed in the
// fund's unit and travel as integer minor units.
import { getJson, ProblemError, sendJson, type Organisation } from "./api";
import { barChart } from "./chart";
import { filesSection, type Attachment } from "./files";
import { clearErrors, dataTable, labelledField, localError, showFieldErrors, today, type El } from "./forms";
import { groupLoanSection } from "./grouploans";
import { hasMessage, t } from "./i18n";
import { formatAmount, parseAmount, parseQuantity } from "./ledger";

interface Fund { id: number; name: string; code: string; unit: string; decimals: number; organisation_id: number }
interface Product {
  id: number; name: string; method: string; period: string; annual_rate_ppm: number; principal_min: number; principal_max: number;
  instalments_max: number; grace_max: number; grace_interest_rule: string;
}
interface Note { id: number; author: string; body: string; created_at: string }
interface Application {
  id: number; fund_id: number; product: { id: number; name: string }; organisation: { id: number; name: string };
  amount: number; instalments: number; grace_principal: number; grace_interest: number; purpose: string;
  jobs_created: number; jobs_kept: number; business_plan_url: string | null; stage: string;
  decision: { adopted: boolean; yes?: number; no?: number; abstain?: number; title?: string } | null;
  loan_id: number | null; created_at: string; version: number; notes?: Note[];
  attachments?: Attachment[]; accepts_files?: boolean;
}
interface Position {
  principal_outstanding: number; interest_outstanding: number; arrears: number; days_in_arrears: number; principal_repaid: number;
  interest_repaid: number; overpaid: number; written_off: number; recovered: number; repaid: boolean; is_written_off: boolean;
}
interface Loan {
  id: number; organisation: { id: number; name: string }; principal: number; method: string; period: string; annual_rate_ppm: number;
  instalments: number; start_on: string; status: string; disbursed: number; version: number; as_of: string; position: Position;
  schedule?: { n: number; due: string; principal: number; interest: number; fees: number; paid?: number; paid_on?: string | null }[];
  tranches?: { n: number; amount: number; planned_on: string; disbursed_on: string | null }[];
  reschedulings?: { n: number; on: string; capitalised_interest: number; capitalised_fees: number }[];
  repayments?: { id: string; paid_on: string; amount: number; fees: number; interest: number; principal: number; overpaid: number; recovered: number }[];
}
interface JobsRow { key: string; loans: number; disbursed: number; jobs_created: number; jobs_kept: number }
interface Portfolio {
  as_of: string; loans: number; active: number; disbursed: number; outstanding: number; repaid: number; arrears: number; written_off: number;
  recovered: number; at_risk_30: number; par30_bp: number; par90_bp: number; jobs_created: number; jobs_kept: number;
  by_sector: JobsRow[]; by_territory: JobsRow[];
}

const STAGES = ["submitted", "in_review", "approved", "rejected", "withdrawn", "contracted"];

function percent(bp: number): string {
  return `${(bp / 100).toFixed(2)} %`;
}
function ratePercent(ppm: number): string {
  return `${(ppm / 10000).toLocaleString(undefined, { maximumFractionDigits: 4 })} %`;
}
function money(f: Fund): (v: number) => string {
  return (v) => `${formatAmount(v, f.decimals)} ${f.unit}`;
}
function backLink(el: El, href: string, text: string): HTMLElement {
  return el("p", {}, el("a", { href, "data-link": "" }, `← ${text}`));
}
const table = dataTable;
// Submits `send`, showing field errors at the form's fields (ids `${prefix}-${name}`).
function onSubmit(form: HTMLFormElement, prefix: string, status: HTMLElement, send: () => Promise<void>, names: Record<string, string> = {}): void {
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    status.textContent = "";
    try {
      await send();
    } catch (err) {
      if (!(err instanceof ProblemError)) throw err;
      const known = err.fields.length > 0;
      if (!known) status.textContent = hasMessage(`fl.error.${err.code}`) ? t(`fl.error.${err.code}`) : err.message;
      showFieldErrors(form, err, (p) => `${prefix}-${names[p[0]] ?? p[0]}`)?.focus();
    }
  });
}
function fieldsOf(el: El, prefix: string) {
  return (key: string, control: HTMLElement, hint = "") => labelledField(el, "fl.field.", key, control, hint, `${prefix}-${key}`);
}

// ---- the fund's dashboard

export async function fundPage(main: HTMLElement, el: El, org: number, fid: number, notice = ""): Promise<void> {
  const base = `/api/v1/organisations/${org}/funds/${fid}`;
  const [organisation, fund, portfolio, apps, loans, products] = await Promise.all([
    getJson<Organisation>(`/api/v1/organisations/${org}`), getJson<Fund>(base), getJson<Portfolio>(`${base}/portfolio`),
    getJson<{ items: Application[] }>(`${base}/applications`), getJson<{ items: Loan[] }>(`${base}/loans`),
    getJson<{ items: Product[] }>(`${base}/products`)]);
  document.title = `${fund.name} · ${organisation.name} · Solidum`;
  const m = money(fund);
  const reload = (message = "") => fundPage(main, el, org, fid, message);

  // Portfolio.
  const figures: [string, string][] = [
    ["loans", String(portfolio.loans)], ["active", String(portfolio.active)], ["disbursed", m(portfolio.disbursed)],
    ["outstanding", m(portfolio.outstanding)], ["repaid", m(portfolio.repaid)], ["arrears", m(portfolio.arrears)],
    ["par30", percent(portfolio.par30_bp)], ["par90", percent(portfolio.par90_bp)], ["written_off", m(portfolio.written_off)],
    ["jobs_created", String(portfolio.jobs_created)], ["jobs_kept", String(portfolio.jobs_kept)]];
  const dl = el("dl", { class: "figures", id: "portfolio-figures" });
  for (const [k, v] of figures) dl.append(el("dt", {}, t(`fl.figure.${k}`)), el("dd", { id: `portfolio-${k}` }, v));
  const jobs = (rows: JobsRow[], unknown: string) => rows.map((r) => ({ label: r.key || unknown, value: r.jobs_created + r.jobs_kept }));
  const charts = portfolio.loans
    ? [barChart(t("fl.chart.territory"), jobs(portfolio.by_territory, t("fl.unknown"))), barChart(t("fl.chart.sector"), jobs(portfolio.by_sector, t("fl.unknown")))]
    : [el("p", {}, t("fl.noLoans"))];

  // Pipeline by stage.
  const byStage = STAGES.map((s) => ({ label: t(`fl.stage.${s}`), value: apps.items.filter((a) => a.stage === s).length }));
  const pipeline = apps.items.length
    ? table(el, "pipeline", ["fl.col.organisation", "fl.col.amount", "fl.col.product", "fl.col.stage"],
            apps.items.map((a) => [el("a", { href: `/organisations/${org}/funds/${fid}/applications/${a.id}`, "data-link": "" }, a.organisation.name),
                                   m(a.amount), a.product.name, t(`fl.stage.${a.stage}`)]))
    : el("p", {}, t("fl.noApplications"));

  const loanRows = loans.items.map((l) => [
    el("a", { href: `/organisations/${org}/funds/${fid}/loans/${l.id}`, "data-link": "" }, l.organisation.name), m(l.principal),
    m(l.position.principal_outstanding), m(l.position.arrears), String(l.position.days_in_arrears), t(`fl.status.${l.status}`)]);
  const loanTable = loanRows.length
    ? table(el, "loans", ["fl.col.organisation", "fl.col.principal", "fl.col.outstanding", "fl.col.arrears", "fl.col.daysLate", "fl.col.status"], loanRows)
    : el("p", {}, t("fl.noLoans"));

  // Products: the list and a form.
  const productRows = products.items.map((p) => [p.name, t(`fl.method.${p.method}`), t(`fl.period.${p.period}`), ratePercent(p.annual_rate_ppm),
                                                 `${m(p.principal_min)} – ${m(p.principal_max)}`, String(p.instalments_max), String(p.grace_max)]);
  const productTable = productRows.length
    ? table(el, "products", ["fl.col.product", "fl.col.method", "fl.col.period", "fl.col.rate", "fl.col.range", "fl.col.instalmentsMax", "fl.col.graceMax"], productRows)
    : el("p", {}, t("fl.noProducts"));

  main.replaceChildren(
    backLink(el, `/organisations/${org}/funds`, t("funds.title")),
    el("h1", {}, fund.name),
    el("p", { role: "status", id: "fund-notice" }, notice),
    el("section", { id: "portfolio" }, el("h2", {}, t("fl.portfolio")), dl, ...charts),
    el("section", { id: "pipeline-section" }, el("h2", {}, t("fl.pipeline")), barChart(t("fl.chart.pipeline"), byStage, false), pipeline),
    el("section", {}, el("h2", {}, t("fl.loans")), loanTable),
    el("section", {}, el("h2", {}, t("fl.products")), productTable, productForm(el, base, fund, reload)));
}

function productForm(el: El, base: string, fund: Fund, reload: (message?: string) => Promise<void>): HTMLElement {
  const name = el("input", { type: "text", required: "", maxlength: "200", autocomplete: "off" });
  const method = el("select", {});
  for (const v of ["equal_instalments", "equal_principal", "flat", "interest_free"]) method.append(el("option", { value: v }, t(`fl.method.${v}`)));
  const period = el("select", {});
  for (const v of ["monthly", "quarterly", "weekly"]) period.append(el("option", { value: v }, t(`fl.period.${v}`)));
  const rate = el("input", { type: "text", inputmode: "decimal", required: "", autocomplete: "off" });
  const min = el("input", { type: "text", inputmode: "decimal", required: "", autocomplete: "off" });
  const max = el("input", { type: "text", inputmode: "decimal", required: "", autocomplete: "off" });
  const term = el("input", { type: "number", min: "1", max: "1560", required: "" });
  const grace = el("input", { type: "number", min: "0", value: "0" });
  const status = el("p", { "aria-live": "polite" });
  const field = fieldsOf(el, "product");
  const form = el("form", { class: "form", id: "product-form" },
    el("h3", {}, t("fl.productCreate")), field("name", name), field("method", method), field("period", period),
    field("rate", rate, t("fl.hint.rate")), field("principal_min", min, fund.unit), field("principal_max", max, fund.unit),
    field("instalments_max", term), field("grace_max", grace, t("fl.hint.grace")), el("button", { type: "submit" }, t("fl.productSubmit")), status);
  onSubmit(form, "product", status, async () => {
    const ppm = parseQuantity(rate.value, 4);  // a percentage with up to 4 decimals: 3.5 -> 35000 ppm
    const lo = parseAmount(min.value, fund.decimals), hi = parseAmount(max.value, fund.decimals);
    if (ppm === null) throw localError("/rate", t("fl.error.rate"));
    if (lo === null) throw localError("/principal_min", t("fl.error.amount"));
    if (hi === null) throw localError("/principal_max", t("fl.error.amount"));
    await sendJson("POST", `${base}/products`, {
      name: name.value, method: method.value, period: period.value, annual_rate_ppm: ppm, principal_min: lo, principal_max: hi,
      instalments_max: Number(term.value), grace_max: Number(grace.value || 0) });
    await reload(t("fl.productCreated"));
  }, { annual_rate_ppm: "rate" });
  return form;
}

// ---- an application

export async function applicationPage(main: HTMLElement, el: El, org: number, fid: number, aid: number, notice = ""): Promise<void> {
  const base = `/api/v1/organisations/${org}/funds/${fid}`;
  const [fund, a] = await Promise.all([getJson<Fund>(base), getJson<Application>(`${base}/applications/${aid}`)]);
  const m = money(fund);
  const path = `${base}/applications/${aid}`;
  const ifMatch = { "If-Match": `"v${a.version}"` };
  const reload = (message = "") => applicationPage(main, el, org, fid, aid, message);
  document.title = `${a.organisation.name} · ${fund.name} · Solidum`;

  const facts: [string, string | Node][] = [
    ["stage", t(`fl.stage.${a.stage}`)], ["product", a.product.name], ["amount", m(a.amount)], ["instalments", String(a.instalments)],
    ["grace", `${a.grace_principal} / ${a.grace_interest}`], ["jobs", `${a.jobs_created} / ${a.jobs_kept}`], ["purpose", a.purpose]];
  if (a.business_plan_url) facts.push(["plan", el("a", { href: a.business_plan_url, rel: "noopener noreferrer", target: "_blank" }, a.business_plan_url)]);
  if (a.decision) {
    facts.push(["decision", `${a.decision.adopted ? t("fl.adopted") : t("fl.notAdopted")} (${a.decision.yes ?? 0} / ${a.decision.no ?? 0} / ${a.decision.abstain ?? 0})`]);
  }
  const dl = el("dl", { class: "figures", id: "application-facts" });
  for (const [k, v] of facts) dl.append(el("dt", {}, t(`fl.fact.${k}`)), el("dd", { id: `application-${k}` }, v));

  const status = el("p", { role: "status", id: "application-status" }, notice);
  const sections: HTMLElement[] = [];

  // The business plan and other files, as the applicant sent them.
  sections.push(filesSection(el, { id: "application-files", base: `${path}/attachments`, files: a.attachments ?? [], open: !!a.accepts_files, reload,
                                closedNote: t("fl.filesClosed") }));

  // Review notes.
  const notes = el("ul", { id: "notes" }, ...(a.notes ?? []).map((n) => el("li", {}, el("strong", {}, n.author || t("fl.someone")), ` · ${n.created_at.slice(0, 10)} — `, n.body)));
  const body = el("textarea", { rows: "3", maxlength: "10000", required: "" });
  const noteStatus = el("p", { "aria-live": "polite" });
  const noteForm = el("form", { class: "form", id: "note-form" }, labelledField(el, "fl.field.", "note", body, "", "note-note"),
                      el("button", { type: "submit" }, t("fl.noteSubmit")), noteStatus);
  onSubmit(noteForm, "note", noteStatus, async () => {
    await sendJson("POST", `${path}/notes`, { body: body.value });
    await reload(t("fl.noteAdded"));
  }, { body: "note" });
  sections.push(el("section", {}, el("h2", {}, t("fl.notes")), notes, noteForm));

  // Moving it along.
  const actions = el("div", { class: "actions" });
  const act = (label: string, stage: string) => {
    const b = el("button", { type: "button" }, label);
    b.addEventListener("click", async () => {
      try {
        await sendJson("POST", `${path}/stage`, { stage }, ifMatch);
        await reload(t(`fl.stage.${stage}`));
      } catch (err) {
        if (!(err instanceof ProblemError)) throw err;
        status.textContent = err.message;
      }
    });
    actions.append(b);
  };
  if (a.stage === "submitted") act(t("fl.toReview"), "in_review");
  if (a.stage === "submitted" || a.stage === "in_review") act(t("fl.withdraw"), "withdrawn");
  if (actions.childElementCount) sections.push(actions);

  if (a.stage === "submitted" || a.stage === "in_review") sections.push(await decisionForm(el, base, path, ifMatch, reload));
  if (a.stage === "approved") sections.push(contractForm(el, org, fid, path, fund, a));
  if (a.loan_id) sections.push(el("p", {}, el("a", { href: `/organisations/${org}/funds/${fid}/loans/${a.loan_id}`, "data-link": "", id: "loan-link" }, t("fl.seeLoan"))));

  main.replaceChildren(backLink(el, `/organisations/${org}/funds/${fid}`, fund.name),
                       el("h1", {}, `${a.organisation.name} — ${m(a.amount)}`), status, dl, ...sections);
}

// The committee's decision: a voted agenda item of one of the organisation's assemblies.
async function decisionForm(el: El, base: string, path: string, ifMatch: Record<string, string>,
                            reload: (message?: string) => Promise<void>): Promise<HTMLElement> {
  interface Vote { assembly_id: number; assembly_title: string; starts_at: string; item_id: number; title: string; adopted: boolean }
  const votes = (await getJson<{ items: Vote[] }>(`${base}/committee-votes`)).items;
  if (!votes.length) return el("section", { id: "decision" }, el("h2", {}, t("fl.decision")), el("p", {}, t("fl.noVote")));
  const select = el("select", {});
  for (const v of votes) {
    select.append(el("option", { value: `${v.assembly_id}:${v.item_id}` },
      `${v.starts_at.slice(0, 10)} ${v.assembly_title} — ${v.title} (${v.adopted ? t("fl.adopted") : t("fl.notAdopted")})`));
  }
  const status = el("p", { "aria-live": "polite" });
  const form = el("form", { class: "form", id: "decision-form" }, el("h2", {}, t("fl.decision")), el("p", {}, t("fl.decisionIntro")),
                  labelledField(el, "fl.field.", "item", select, "", "decision-item"), el("button", { type: "submit" }, t("fl.decisionSubmit")), status);
  onSubmit(form, "decision", status, async () => {
    const [assembly_id, item_id] = select.value.split(":").map(Number);
    await sendJson("POST", `${path}/decision`, { assembly_id, item_id }, ifMatch);
    await reload(t("fl.decided"));
  }, { item_id: "item", assembly_id: "item" });
  return form;
}

function contractForm(el: El, org: number, fid: number, path: string, fund: Fund, a: Application): HTMLElement {
  const start = el("input", { type: "date", required: "", value: today() });
  const status = el("p", { "aria-live": "polite" });
  const form = el("form", { class: "form", id: "contract-form" }, el("h2", {}, t("fl.contract")),
                  el("p", {}, t("fl.contractIntro", { amount: money(fund)(a.amount) })),
                  labelledField(el, "fl.field.", "start_on", start, t("fl.hint.start"), "contract-start_on"),
                  el("button", { type: "submit" }, t("fl.contractSubmit")), status);
  onSubmit(form, "contract", status, async () => {
    const r = await sendJson<Loan>("POST", `${path}/contract`, { start_on: start.value });
    history.pushState({}, "", `/organisations/${org}/funds/${fid}/loans/${r.body.id}`);
    window.dispatchEvent(new PopStateEvent("popstate"));
  });
  return form;
}

// ---- a loan

export async function loanPage(main: HTMLElement, el: El, org: number, fid: number, lid: number, notice = ""): Promise<void> {
  const base = `/api/v1/organisations/${org}/funds/${fid}`;
  const path = `${base}/loans/${lid}`;
  const [fund, l] = await Promise.all([getJson<Fund>(base), getJson<Loan>(path)]);
  const m = money(fund);
  const reload = (message = "") => loanPage(main, el, org, fid, lid, message);
  document.title = `${l.organisation.name} · ${fund.name} · Solidum`;
  const p = l.position;
  const facts: [string, string][] = [
    ["status", t(`fl.status.${l.status}`)], ["principal", m(l.principal)], ["rate", ratePercent(l.annual_rate_ppm)],
    ["terms", `${l.instalments} × ${t(`fl.period.${l.period}`)}, ${t(`fl.method.${l.method}`)}`], ["disbursed", m(l.disbursed)],
    ["outstanding", m(p.principal_outstanding)], ["arrears", m(p.arrears)], ["daysLate", String(p.days_in_arrears)],
    ["repaidPrincipal", m(p.principal_repaid)], ["repaidInterest", m(p.interest_repaid)]];
  if (p.written_off) facts.push(["writtenOff", m(p.written_off)], ["recovered", m(p.recovered)]);
  if (p.overpaid) facts.push(["overpaid", m(p.overpaid)]);
  for (const r of l.reschedulings ?? []) facts.push(["rescheduled", t("fl.rescheduledOn", { on: r.on, amount: m(r.capitalised_interest + r.capitalised_fees) })]);
  const dl = el("dl", { class: "figures", id: "loan-facts" });
  for (const [k, v] of facts) dl.append(el("dt", {}, t(`fl.loanFact.${k}`)), el("dd", { id: `loan-${k}` }, v));

  const schedule = table(el, "schedule", ["fl.col.n", "fl.col.due", "fl.col.principal", "fl.col.interest", "fl.col.payment", "fl.col.paid", "fl.col.paidOn"],
    (l.schedule ?? []).map((s) => [String(s.n), s.due, m(s.principal), m(s.interest), m(s.principal + s.interest + s.fees), m(s.paid ?? 0), s.paid_on ?? ""]));

  const status = el("p", { role: "status", id: "loan-status" }, notice);
  // Tranches: each one not yet lent can be disbursed.
  const tranches = table(el, "tranches", ["fl.col.n", "fl.col.amount", "fl.col.planned", "fl.col.disbursed"],
    (l.tranches ?? []).map((tr) => {
      if (tr.disbursed_on || l.status !== "active") return [String(tr.n), m(tr.amount), tr.planned_on, tr.disbursed_on ?? ""];
      const on = el("input", { type: "date", value: tr.planned_on, "aria-label": t("fl.field.on") });
      const b = el("button", { type: "button", id: `disburse-${tr.n}` }, t("fl.disburse"));
      b.addEventListener("click", async () => {
        try {
          await sendJson("POST", `${path}/disbursements`, { tranche: tr.n, on: on.value });
          await reload(t("fl.disbursed"));
        } catch (err) {
          if (!(err instanceof ProblemError)) throw err;
          status.textContent = hasMessage(`fl.error.${err.code}`) ? t(`fl.error.${err.code}`) : err.message;
        }
      });
      return [String(tr.n), m(tr.amount), tr.planned_on, el("span", {}, on, " ", b)];
    }));

  const repayments = (l.repayments ?? []).length
    ? table(el, "repayments", ["fl.col.paidOn", "fl.col.amount", "fl.col.interest", "fl.col.principal", "fl.col.reference"],
            (l.repayments ?? []).map((r) => [r.paid_on, m(r.amount), m(r.interest), m(r.principal + r.recovered), r.id]))
    : el("p", {}, t("fl.noRepayments"));

  const group = await groupLoanSection(el, path, l.organisation.id, fund, l.principal, l.status === "active", reload);
  const sections: HTMLElement[] = [];
  if (l.status !== "repaid") sections.push(repaymentForm(el, path, fund, reload));
  if (l.status === "active") sections.push(rescheduleForm(el, path, l, reload), writeOffForm(el, path, l, reload));
  main.replaceChildren(backLink(el, `/organisations/${org}/funds/${fid}`, fund.name), el("h1", {}, `${l.organisation.name} — ${m(l.principal)}`), status, dl,
                       el("h2", {}, t("fl.schedule")), schedule, el("h2", {}, t("fl.tranches")), tranches, el("h2", {}, t("fl.repayments")), repayments, ...group, ...sections);
}

function repaymentForm(el: El, path: string, fund: Fund, reload: (message?: string) => Promise<void>): HTMLElement {
  const amount = el("input", { type: "text", inputmode: "decimal", required: "", autocomplete: "off" });
  const on = el("input", { type: "date", required: "", value: today() });
  const reference = el("input", { type: "text", required: "", maxlength: "40", autocomplete: "off" });
  const status = el("p", { "aria-live": "polite" });
  const field = fieldsOf(el, "repay");
  const form = el("form", { class: "form", id: "repay-form" }, el("h2", {}, t("fl.repay")),
                  field("amount", amount, fund.unit), field("paid_on", on), field("reference", reference, t("fl.hint.reference")),
                  el("button", { type: "submit" }, t("fl.repaySubmit")), status);
  onSubmit(form, "repay", status, async () => {
    const minor = parseAmount(amount.value, fund.decimals);
    if (minor === null) throw localError("/amount", t("fl.error.amount"));
    const r = await sendJson<{ replayed: boolean }>("POST", `${path}/repayments`, { id: reference.value.trim(), amount: minor, paid_on: on.value });
    await reload(r.body.replayed ? t("fl.replayed") : t("fl.repaid"));
  }, { id: "reference" });
  return form;
}

function rescheduleForm(el: El, path: string, l: Loan, reload: (message?: string) => Promise<void>): HTMLElement {
  const on = el("input", { type: "date", required: "", value: today() });
  const instalments = el("input", { type: "number", min: "1", required: "" });
  const grace = el("input", { type: "number", min: "0", value: "0" });
  const rate = el("input", { type: "text", inputmode: "decimal", autocomplete: "off", value: String(l.annual_rate_ppm / 10000) });
  const status = el("p", { "aria-live": "polite" });
  const field = fieldsOf(el, "reschedule");
  const form = el("form", { class: "form", id: "reschedule-form" }, el("h2", {}, t("fl.reschedule")), el("p", {}, t("fl.rescheduleIntro")),
                  field("on", on), field("instalments", instalments), field("grace_principal", grace, t("fl.hint.grace")), field("rate", rate, t("fl.hint.rate")),
                  el("button", { type: "submit" }, t("fl.rescheduleSubmit")), status);
  onSubmit(form, "reschedule", status, async () => {
    const ppm = parseQuantity(rate.value, 4);
    if (ppm === null) throw localError("/rate", t("fl.error.rate"));
    await sendJson("POST", `${path}/reschedule`, { on: on.value, instalments: Number(instalments.value), grace_principal: Number(grace.value || 0), annual_rate_ppm: ppm },
                   { "If-Match": `"v${l.version}"` });
    await reload(t("fl.rescheduled"));
  }, { annual_rate_ppm: "rate" });
  return form;
}

function writeOffForm(el: El, path: string, l: Loan, reload: (message?: string) => Promise<void>): HTMLElement {
  const on = el("input", { type: "date", required: "", value: today() });
  const status = el("p", { "aria-live": "polite" });
  const form = el("form", { class: "form", id: "writeoff-form" }, el("h2", {}, t("fl.writeOff")), el("p", {}, t("fl.writeOffIntro")),
                  labelledField(el, "fl.field.", "on", on, "", "writeoff-on"), el("button", { type: "submit" }, t("fl.writeOffSubmit")), status);
  onSubmit(form, "writeoff", status, async () => {
    if (!window.confirm(t("fl.writeOffConfirm"))) return;
    await sendJson("POST", `${path}/write-off`, { on: on.value }, { "If-Match": `"v${l.version}"` });
    await reload(t("fl.writtenOff"));
  });
  return form;
}

// ---- the applicant's page

export async function applyPage(main: HTMLElement, el: El, org: number, notice = ""): Promise<void> {
  const [organisation, funds, mine] = await Promise.all([
    getJson<Organisation>(`/api/v1/organisations/${org}`),
    getJson<{ items: (Fund & { products: Product[] })[] }>("/api/v1/funds"),
    getJson<{ items: Application[] }>(`/api/v1/organisations/${org}/loan-applications`)]);
  document.title = `${t("fl.apply")} · ${organisation.name} · Solidum`;
  const reload = (message = "") => applyPage(main, el, org, message);
  const fundOf = new Map(funds.items.map((f) => [f.id, f]));

  const list = mine.items.length
    ? table(el, "my-applications", ["fl.col.fund", "fl.col.product", "fl.col.amount", "fl.col.stage", "fl.col.date"],
            mine.items.map((a) => {
              const f = fundOf.get(a.fund_id);
              return [f?.name ?? String(a.fund_id), a.product.name, f ? money(f)(a.amount) : String(a.amount), t(`fl.stage.${a.stage}`), a.created_at.slice(0, 10)];
            }))
    : el("p", {}, t("fl.noApplications"));
  // Each application's files (the business plan), added while the fund has not decided.
  const files = mine.items.map((a) => {
    const f = fundOf.get(a.fund_id);
    const what = `${f?.name ?? a.fund_id} — ${f ? money(f)(a.amount) : a.amount} (${a.created_at.slice(0, 10)})`;
    return filesSection(el, { id: `application-${a.id}-files`, base: `/api/v1/organisations/${org}/loan-applications/${a.id}/attachments`,
                              files: a.attachments ?? [], open: !!a.accepts_files, reload, heading: "h3", title: t("files.titleFor", { what }),
                              closedNote: t("fl.filesClosed") });
  });

  const offers = funds.items.flatMap((f) => f.products.map((p) => ({ f, p })));
  let form: HTMLElement = el("p", {}, t("fl.noFunds"));
  if (offers.length) {
    const product = el("select", { required: "" });
    for (const { f, p } of offers) {
      product.append(el("option", { value: `${f.id}:${p.id}` },
        `${f.name} — ${p.name} (${ratePercent(p.annual_rate_ppm)}, ${money(f)(p.principal_min)} – ${money(f)(p.principal_max)}, ≤ ${p.instalments_max})`));
    }
    const amount = el("input", { type: "text", inputmode: "decimal", required: "", autocomplete: "off" });
    const instalments = el("input", { type: "number", min: "1", required: "" });
    const grace = el("input", { type: "number", min: "0", value: "0" });
    const purpose = el("textarea", { rows: "4", maxlength: "4000", required: "" });
    const created = el("input", { type: "number", min: "0", value: "0" });
    const kept = el("input", { type: "number", min: "0", value: "0" });
    const plan = el("input", { type: "url", maxlength: "2000", autocomplete: "off" });
    const status = el("p", { "aria-live": "polite" });
    const field = fieldsOf(el, "apply");
    const f = el("form", { class: "form", id: "apply-form" }, el("h2", {}, t("fl.applyForm")),
      field("product", product), field("amount", amount), field("instalments", instalments), field("grace_principal", grace, t("fl.hint.grace")),
      field("purpose", purpose), field("jobs_created", created), field("jobs_kept", kept), field("business_plan_url", plan, t("fl.hint.plan")),
      el("button", { type: "submit" }, t("fl.applySubmit")), status);
    onSubmit(f, "apply", status, async () => {
      const [fund_id, product_id] = product.value.split(":").map(Number);
      const fund = fundOf.get(fund_id)!;
      const minor = parseAmount(amount.value, fund.decimals);
      if (minor === null) throw localError("/amount", t("fl.error.amount"));
      const body: Record<string, unknown> = {
        fund_id, product_id, amount: minor, instalments: Number(instalments.value), grace_principal: Number(grace.value || 0),
        purpose: purpose.value, jobs_created: Number(created.value || 0), jobs_kept: Number(kept.value || 0) };
      if (plan.value.trim()) body.business_plan_url = plan.value.trim();
      await sendJson("POST", `/api/v1/organisations/${org}/loan-applications`, body);
      await reload(t("fl.applied"));
    }, { product_id: "product", fund_id: "product" });
    form = f;
  }
  main.replaceChildren(backLink(el, `/organisations/${org}`, organisation.name), el("h1", {}, t("fl.apply")),
                       el("p", { class: "intro" }, t("fl.applyIntro")), el("p", { role: "status", id: "apply-notice" }, notice),
                       el("h2", {}, t("fl.myApplications")), list, ...files, form);
}

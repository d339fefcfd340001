// An organisation's solidarity funds, for its admins: create a fund (its books are a
// ledger currency of its own), see each fund's pool, capital by backer (as a chart),
// income and losses, and record a backer's contribution, found by name in the register.
// Amounts are typed in the fund's unit and travel as integer minor units.
import { getJson, ProblemError, sendJson, type Organisation } from "./api";
import { barChart } from "./chart";
import { clearErrors, labelledField, showFieldErrors, suggestOrganisations, type El } from "./forms";
import { t } from "./i18n";
import { formatAmount, parseAmount } from "./ledger";

interface Figures { pool: number; capital: number; interest: number; fees: number; losses: number; deposits: number }
interface Fund {
  id: number; name: string; code: string; unit: string; decimals: number; created_at: string;
  figures?: Figures; backers?: { organisation_id: number; name: string; capital: number }[];
}

export async function fundsPage(main: HTMLElement, el: El, organisation: number, notice = ""): Promise<void> {
  const [org, list] = await Promise.all([
    getJson<Organisation>(`/api/v1/organisations/${organisation}`),
    getJson<{ items: Fund[] }>(`/api/v1/organisations/${organisation}/funds`),
  ]);
  document.title = `${t("funds.title")} · ${org.name} · Solidum`;
  const base = `/api/v1/organisations/${organisation}/funds`;
  const reload = (message = "") => fundsPage(main, el, organisation, message);

  // Create a fund.
  const name = el("input", { type: "text", required: "", maxlength: "200", autocomplete: "off" });
  const code = el("input", { type: "text", required: "", maxlength: "16", autocomplete: "off" });
  const unit = el("input", { type: "text", required: "", maxlength: "50", autocomplete: "off" });
  unit.value = "EUR";
  const decimals = el("input", { type: "number", min: "0", max: "6", required: "" });
  decimals.value = "2";
  const create = el("form", { class: "form", id: "fund-create" },
    el("h2", {}, t("funds.create")),
    labelledField(el, "funds.field.", "name", name), labelledField(el, "funds.field.", "code", code, t("funds.hint.code")),
    labelledField(el, "funds.field.", "unit", unit, t("funds.hint.unit")), labelledField(el, "funds.field.", "decimals", decimals),
    el("button", { type: "submit" }, t("funds.createSubmit")));
  create.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(create);
    try {
      await sendJson("POST", base, { name: name.value, code: code.value.trim().toUpperCase(), unit: unit.value, decimals: Number(decimals.value) });
      await reload();
    } catch (err) {
      if (!(err instanceof ProblemError)) throw err;
      if (err.code === "code_taken") err.fields.push({ field: "/code", code: "code_taken", message: t("funds.error.codeTaken") });
      showFieldErrors(create, err)?.focus();
    }
  });

  const sections = list.items.map((f) => fundSection(el, base, f, reload));
  main.replaceChildren(
    el("p", {}, el("a", { href: `/organisations/${organisation}`, "data-link": "" }, `← ${org.name}`)),
    el("h1", {}, t("funds.title")),
    el("p", { class: "intro" }, t("funds.intro")),
    el("p", { role: "status", id: "funds-notice" }, notice),
    ...(sections.length ? sections : [el("p", {}, t("funds.none"))]),
    create);
}

function fundSection(el: El, base: string, f: Fund, reload: (message?: string) => Promise<void>): HTMLElement {
  const fig = f.figures;
  const money = (v: number) => `${formatAmount(v, f.decimals)} ${f.unit}`;
  const rows: [string, number][] = fig
    ? [["pool", fig.pool], ["capital", fig.capital], ["interest", fig.interest], ["fees", fig.fees], ["losses", fig.losses], ["deposits", fig.deposits]]
    : [];
  const dl = el("dl", { class: "figures" });
  for (const [k, v] of rows) dl.append(el("dt", {}, t(`funds.figure.${k}`)), el("dd", { id: `fund-${f.id}-${k}` }, money(v)));
  const backers = f.backers ?? [];
  const chart = backers.length
    ? barChart(t("funds.chart.capital"), backers.map((b) => ({ label: b.name, value: b.capital })), true, 12, money)
    : el("p", {}, t("funds.noBackers"));

  // A contribution: the backer found by name in the register.
  const prefix = `fund-${f.id}`;
  const backer = el("input", { type: "text", list: `${prefix}-backers`, required: "", autocomplete: "off" });
  const options = el("datalist", { id: `${prefix}-backers` });
  const chosen = suggestOrganisations(el, backer, options);
  const howMuch = el("input", { type: "text", inputmode: "decimal", required: "", autocomplete: "off" });
  const reference = el("input", { type: "text", required: "", maxlength: "40", autocomplete: "off" });
  const memo = el("input", { type: "text", maxlength: "200", autocomplete: "off" });
  const status = el("p", { "aria-live": "polite" });
  // Ids unique per fund (a page may show several): field-fund-1-amount, error-fund-1-amount.
  const field = (key: string, control: HTMLElement, hint = "") => labelledField(el, "funds.field.", key, control, hint, `${prefix}-${key}`);
  const form = el("form", { class: "form" },
    el("h3", {}, t("funds.contribute")),
    field("backer", backer, t("funds.hint.backer")), options, field("amount", howMuch), field("reference", reference, t("funds.hint.reference")),
    field("memo", memo), el("button", { type: "submit" }, t("funds.contributeSubmit")), status);
  const names: Record<string, string> = { backer: "backer", amount: "amount", id: "reference", memo: "memo" };
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    const id = chosen(backer.value);
    const minor = parseAmount(howMuch.value, f.decimals);
    const local = new ProblemError(400, "", "validation_failed", []);
    if (id === undefined) local.fields.push({ field: "/backer", code: "unknown", message: t("funds.error.backer") });
    if (minor === null) local.fields.push({ field: "/amount", code: "invalid", message: t("funds.error.amount") });
    if (!reference.value.trim()) local.fields.push({ field: "/reference", code: "required", message: t("funds.error.reference") });
    const at = (err: ProblemError) => showFieldErrors(form, err, (p) => `${prefix}-${names[p[0]] ?? p[0]}`)?.focus();
    if (local.fields.length) return at(local);
    try {
      const r = await sendJson<{ replayed: boolean }>("POST", `${base}/${f.id}/contributions`,
                                                        { id: reference.value.trim(), backer: id, amount: minor, memo: memo.value });
      await reload(r.body.replayed ? t("funds.replayed") : t("funds.recorded"));
    } catch (err) {
      if (!(err instanceof ProblemError)) throw err;
      if (err.code === "id_reused_with_different_content") err.fields.push({ field: "/id", code: err.code, message: t("funds.error.reused") });
      if (!err.fields.length) status.textContent = err.message;
      at(err);
    }
  });
  return el("section", { class: "fund", id: prefix },
    el("h2", {}, `${f.name} (${f.code})`), dl,
    el("p", {}, el("a", { href: `${base.replace(/^\/api\/v1/, "")}/${f.id}`, "data-link": "", class: "button", id: `${prefix}-open` }, t("fl.open"))), chart, form);
}

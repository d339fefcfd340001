// Mutual credit and time banks for members: my accounts and balances, an account's page
// (pay someone, the statement with its running balance, the CSV), in the four languages.
// Amounts are exact: typed text becomes integer minor units, never a float.
import { currentSession, getJson, ProblemError, sendJson } from "./api";
import { barChart } from "./chart";
import { clearErrors, failAt, fieldBox, type El } from "./forms";
import { hasMessage, lang, t } from "./i18n";

interface Currency { id: number; code: string; name: string; unit: string; decimals: number }
interface Account {
  id: number; name: string; status: string; balance: number; debits_pending: number; credits_pending: number;
  available: number; currency: Currency; organisation_name: string;
}
export interface Entry {
  seq: number; id: string; at: string; kind: string; direction: "in" | "out";
  counterparty: { account: number; name: string }; amount: number; change: number; balance: number; memo: string;
}

// Minor units as people write them in the current language: 1250, 2 -> "12,50" in French.
export function formatAmount(minor: number, decimals: number): string {
  const negative = minor < 0;
  let digits = String(Math.abs(minor));
  let whole = digits, frac = "";
  if (decimals > 0) {
    digits = digits.padStart(decimals + 1, "0");
    whole = digits.slice(0, -decimals);
    frac = digits.slice(-decimals);
  }
  const sep = new Intl.NumberFormat(lang()).formatToParts(1.5).find((p) => p.type === "decimal")?.value ?? ".";
  const grouped = new Intl.NumberFormat(lang()).format(BigInt(whole));
  return (negative ? "−" : "") + grouped + (frac ? sep + frac : "");
}

// Typed text ("12.5", "12,50", "3") to minor units; null when it is not an amount (zero
// is not one; parseQuantity takes it).
export function parseAmount(text: string, decimals: number): number | null {
  const v = parseQuantity(text, decimals);
  return v !== null && v > 0 ? v : null;
}

// The same for quantities that may be zero (a rate, a percentage): "0", "3.5", "12,25".
export function parseQuantity(text: string, decimals: number): number | null {
  const m = text.trim().replace(/\s/g, "").match(/^(\d+)(?:[.,](\d*))?$/);
  if (!m) return null;
  const frac = m[2] ?? "";
  if (frac.length > decimals) return null;
  const minor = BigInt(m[1]) * 10n ** BigInt(decimals) + BigInt((frac + "0".repeat(decimals)).slice(0, decimals) || "0");
  return minor <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(minor) : null;
}

// A time-ordered id (UUID version 7): the ledger's id index stays fast with them.
function transferId(): string {
  const hex = Date.now().toString(16).padStart(12, "0");
  const rand = crypto.getRandomValues(new Uint8Array(10));
  const r = Array.from(rand, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8)}-7${r.slice(0, 3)}-${((rand[2] & 0x3f) | 0x80).toString(16)}${r.slice(6, 8)}-${r.slice(8, 20)}`;
}

function money(el: El, minor: number, c: Currency): HTMLElement {
  return el("span", { class: minor < 0 ? "amount negative" : "amount" }, `${formatAmount(minor, c.decimals)} ${c.unit}`);
}

export async function myAccountsPage(main: HTMLElement, el: El): Promise<void> {
  document.title = `${t("accounts.title")} · Solidum`;
  const h1 = el("h1", {}, t("accounts.title"));
  if (!currentSession()) {
    main.replaceChildren(h1, el("p", {}, el("a", { href: "/sign-in", "data-link": "" }, t("accounts.signIn"))));
    return;
  }
  const [{ items }, joinable] = await Promise.all([
    getJson<{ items: Account[] }>("/api/v1/me/accounts"),
    getJson<{ items: { currency: Currency; organisation_name: string }[] }>("/api/v1/me/joinable-currencies"),
  ]);
  // The currencies of the user's organisations they may open their own account in.
  const status = el("p", { role: "status" });
  const join = joinable.items.length === 0 ? "" : el("section", { "aria-labelledby": "join-title" },
    el("h2", { id: "join-title" }, t("accounts.joinable")),
    el("ul", {}, ...joinable.items.map((j) => {
      const b = el("button", { type: "button" }, t("accounts.join", { name: `${j.currency.name} (${j.currency.code})` }));
      b.addEventListener("click", async () => {
        b.disabled = true;
        try {
          await sendJson("POST", `/api/v1/currencies/${j.currency.id}/join`, undefined);
          await myAccountsPage(main, el);
          main.querySelector("h1")!.after(el("p", { role: "status" }, t("accounts.joined", { name: j.currency.name })));
        } catch (err) {
          b.disabled = false;
          status.textContent = err instanceof Error ? err.message : String(err);
        }
      });
      return el("li", {}, b, el("span", { class: "meta" }, ` · ${j.organisation_name}`));
    })), status);
  if (!items.length) {
    main.replaceChildren(h1, el("p", {}, t(joinable.items.length ? "accounts.noneYet" : "accounts.none")), join);
    return;
  }
  const list = el("ul", { class: "accounts" });
  for (const a of items) {
    list.append(el("li", {},
      el("a", { href: `/accounts/${a.id}`, "data-link": "" }, `${a.currency.name} (${a.currency.code})`),
      el("span", { class: "meta" }, ` · ${a.organisation_name}`),
      el("p", {}, t("account.balance"), " ", money(el, a.balance, a.currency), " · ", t("account.available"), " ", money(el, a.available, a.currency))));
  }
  main.replaceChildren(h1, list, join);
}

export async function accountPage(main: HTMLElement, el: El, id: number): Promise<void> {
  const mine = (await getJson<{ items: Account[] }>("/api/v1/me/accounts")).items.find((a) => a.id === id);
  if (!mine) {
    main.replaceChildren(el("h1", {}, t("accounts.title")), el("p", {}, t("account.notYours")));
    return;
  }
  const c = mine.currency;
  document.title = `${c.name} · Solidum`;
  const summary = el("p", { class: "balance", "aria-live": "polite" });
  const showSummary = (a: { balance: number; available: number; debits_pending: number }) => {
    summary.replaceChildren(t("account.balance"), " ", money(el, a.balance, c), " · ", t("account.available"), " ", money(el, a.available, c));
    if (a.debits_pending) summary.append(" · ", t("account.reserved"), " ", money(el, a.debits_pending, c));
  };
  showSummary(mine);

  // Pay someone: whom (from the currency's directory), how much, what for.
  const to = el("select", { id: "pay-to", required: "" });
  to.append(el("option", { value: "" }, t("pay.choose")));
  for (const p of (await getJson<{ items: { id: number; name: string }[] }>(`/api/v1/currencies/${c.id}/directory?limit=500`)).items) {
    if (p.id !== id) to.append(el("option", { value: String(p.id) }, p.name));
  }
  const amount = el("input", { id: "pay-amount", inputmode: "decimal", autocomplete: "off", required: "" });
  const memo = el("input", { id: "pay-memo", maxlength: "500" });
  const message = el("p", { class: "form-message", role: "status" });
  const field = (control: HTMLElement, label: string) => fieldBox(el, control, label);
  const form = el("form", { class: "pay", "aria-labelledby": "pay-title" },
    el("h2", { id: "pay-title" }, t("pay.title")),
    field(to, t("pay.to")), field(amount, t("pay.amount", { unit: c.unit })), field(memo, t("pay.memo")),
    el("button", { type: "submit" }, t("pay.submit")), message);
  const fail = (control: HTMLElement, text: string) => failAt(form, control, text);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    message.textContent = "";
    const minor = parseAmount(amount.value, c.decimals);
    if (!to.value) return fail(to, t("pay.chooseFirst"));
    if (minor === null) return fail(amount, t("pay.badAmount", { decimals: String(c.decimals) }));
    try {
      await sendJson("POST", "/api/v1/transfers", { id: transferId(), debit_account: id, credit_account: Number(to.value), amount: minor, memo: memo.value });
      message.textContent = t("pay.done", { amount: `${formatAmount(minor, c.decimals)} ${c.unit}`, name: to.selectedOptions[0].textContent ?? "" });
      amount.value = "";
      memo.value = "";
      showSummary(await getJson<Account>(`/api/v1/accounts/${id}`));
      await statement.reload();
    } catch (err) {
      if (!(err instanceof ProblemError)) throw err;
      const key = `pay.refused.${err.code}`;
      if (err.fields.some((f) => f.field === "/memo")) return fail(memo, err.fields[0].message);
      message.textContent = hasMessage(key) ? t(key) : err.message;
    }
  });

  const statement = statementTable(el, id, c);
  const links = (await getJson<{ items: Link[] }>(`/api/v1/currencies/${c.id}/links`)).items;
  const trade = links.length ? tradeForm(el, id, c, links, async () => {
    showSummary(await getJson<Account>(`/api/v1/accounts/${id}`));
    await statement.reload();
  }) : "";
  const csv = el("a", { href: `/api/v1/accounts/${id}/statement.csv`, download: "" }, t("statement.csv"));
  const stats = el("a", { href: `/currencies/${c.id}/statistics`, "data-link": "" }, t("stats.link"));
  const market = el("a", { href: `/currencies/${c.id}/listings`, "data-link": "" }, t("market.link"));
  main.replaceChildren(el("h1", {}, `${c.name} (${c.code})`), el("p", { class: "meta" }, mine.organisation_name, " · ", market, " · ", stats), summary, form, trade,
                       el("h2", {}, t("statement.title")), el("p", {}, csv), statement.node);
  await statement.reload();
}

interface Link {
  id: number; a: Currency; b: Currency; rate: string;
  clearing_account_a: { id: number; balance: number }; clearing_account_b: { id: number; balance: number };
}

// `minor` units of `from` in units of `to` at a link's rate (one a in b), rounded down as
// the server does: exact, in integers.
export function convertAcross(minor: number, rate: string, from: Currency, to: Currency, inverse: boolean, roundUp = false): number {
  const [whole, frac = ""] = rate.split(".");
  const num = BigInt(whole + frac), den = 10n ** BigInt(frac.length);
  const top = BigInt(minor) * (inverse ? den : num) * 10n ** BigInt(to.decimals);
  const bottom = (inverse ? num : den) * 10n ** BigInt(from.decimals);
  return Number(top / bottom + (roundUp && top % bottom !== 0n ? 1n : 0n));
}

// Pay a member of a linked community: in this currency's units, arriving converted.
function tradeForm(el: El, id: number, c: Currency, links: Link[], paid: () => Promise<void>): HTMLElement {
  const other = (l: Link) => (l.a.id === c.id ? l.b : l.a);
  const community = el("select", { id: "trade-link" }, ...links.map((l) => el("option", { value: String(l.id) }, `${other(l).name} (${other(l).code})`)));
  const to = el("select", { id: "trade-to", required: "" });
  const amount = el("input", { id: "trade-amount", inputmode: "decimal", autocomplete: "off", required: "" });
  // The amount is what leaves this account, or (a price in their unit) what must arrive.
  const receive = el("input", { type: "checkbox", id: "trade-receive" });
  const memo = el("input", { id: "trade-memo", maxlength: "500" });
  const rate = el("p", { class: "hint", id: "trade-rate" });
  const arrives = el("p", { class: "hint", id: "trade-arrives", "aria-live": "polite" });
  const message = el("p", { class: "form-message", role: "status" });
  const link = () => links.find((l) => String(l.id) === community.value)!;
  const preview = () => {
    const l = link(), o = other(l), mine = l.b.id === c.id;
    form.querySelector('label[for="trade-amount"]')!.textContent = receive.checked ? t("trade.amountReceived", { unit: o.unit }) : t("pay.amount", { unit: c.unit });
    const minor = parseAmount(amount.value, receive.checked ? o.decimals : c.decimals);
    if (minor === null) arrives.textContent = "";
    else if (receive.checked) arrives.textContent = t("trade.youPay", { amount: `${formatAmount(convertAcross(minor, l.rate, o, c, !mine, true), c.decimals)} ${c.unit}` });
    else arrives.textContent = t("trade.arrives", { amount: `${formatAmount(convertAcross(minor, l.rate, c, o, mine), o.decimals)} ${o.unit}` });
  };
  const choose = async () => {
    const l = link(), o = other(l);
    rate.textContent = t("trade.rate", { rate: `1 ${l.a.unit} = ${l.rate} ${l.b.unit}` });
    to.replaceChildren(el("option", { value: "" }, t("pay.choose")));
    for (const p of (await getJson<{ items: { id: number; name: string }[] }>(`/api/v1/currencies/${o.id}/directory?limit=500`)).items) {
      if (p.id !== l.clearing_account_a.id && p.id !== l.clearing_account_b.id) to.append(el("option", { value: String(p.id) }, p.name));
    }
    preview();
  };
  community.addEventListener("change", () => void choose());
  amount.addEventListener("input", preview);
  receive.addEventListener("change", preview);
  const form = el("form", { class: "pay", "aria-labelledby": "trade-title" },
    el("h2", { id: "trade-title" }, t("trade.title")),
    fieldBox(el, community, t("trade.community")), rate, fieldBox(el, to, t("pay.to")),
    el("p", {}, receive, el("label", { for: "trade-receive" }, " " + t("trade.receive"))),
    fieldBox(el, amount, t("pay.amount", { unit: c.unit })), arrives, fieldBox(el, memo, t("pay.memo")),
    el("button", { type: "submit" }, t("trade.submit")), message);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    message.textContent = "";
    const l = link(), o = other(l);
    const decimals = receive.checked ? o.decimals : c.decimals;
    const minor = parseAmount(amount.value, decimals);
    if (!to.value) return failAt(form, to, t("pay.chooseFirst"));
    if (minor === null) return failAt(form, amount, t("pay.badAmount", { decimals: String(decimals) }));
    try {
      const r = await sendJson<{ sent: { amount: number }; received: { amount: number } }>("POST", `/api/v1/currency-links/${l.id}/transfers`,
        { id: transferId(), debit_account: id, credit_account: Number(to.value), [receive.checked ? "receive_amount" : "amount"]: minor, memo: memo.value });
      message.textContent = t("trade.done", { amount: `${formatAmount(r.body.sent.amount, c.decimals)} ${c.unit}`,
                                               received: `${formatAmount(r.body.received.amount, o.decimals)} ${o.unit}`,
                                               name: to.selectedOptions[0].textContent ?? "" });
      amount.value = "";
      memo.value = "";
      arrives.textContent = "";
      await paid();
    } catch (err) {
      if (!(err instanceof ProblemError)) throw err;
      const f = err.fields[0];
      if (f && (f.field === "/amount" || f.field === "/receive_amount")) return failAt(form, amount, f.message);
      if (f && f.field === "/memo") return failAt(form, memo, f.message);
      const key = `pay.refused.${err.code}`;
      message.textContent = hasMessage(key) ? t(key) : err.message;
    }
  });
  void choose();
  return form;
}

// An account's statement, newest first, a page at a time ("Older" asks for the next).
// `actions`: a last column (an admin's reversal) for each entry.
export function statementTable(el: El, id: number, c: Currency, actions?: (e: Entry) => HTMLElement | string): { node: HTMLElement; reload: () => Promise<void> } {
  const body = el("tbody");
  const more = el("button", { type: "button", hidden: "" }, t("statement.older"));
  const empty = el("p", { hidden: "" }, t("statement.none"));
  let cursor: string | null = null;
  const when = (iso: string) => new Intl.DateTimeFormat(lang(), { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
  const load = async (reset: boolean) => {
    const page = await getJson<{ items: Entry[]; next_cursor: string | null }>(
      `/api/v1/accounts/${id}/entries?limit=50${!reset && cursor ? `&cursor=${cursor}` : ""}`);
    if (reset) body.replaceChildren();
    for (const e of page.items) {
      const what = [e.counterparty.name, e.memo].filter(Boolean).join(" — ");
      const kind = e.kind === "transfer" ? "" : ` (${t(`statement.kind.${e.kind}`)})`;
      body.append(el("tr", {}, el("td", {}, when(e.at)), el("td", {}, what + kind),
        el("td", { class: "num" }, e.change > 0 ? formatAmount(e.change, c.decimals) : ""),
        el("td", { class: "num" }, e.change < 0 ? formatAmount(-e.change, c.decimals) : ""),
        el("td", { class: "num" }, formatAmount(e.balance, c.decimals)), ...(actions ? [el("td", {}, actions(e))] : [])));
    }
    cursor = page.next_cursor;
    more.hidden = !cursor;
    empty.hidden = body.children.length > 0;
  };
  more.addEventListener("click", () => void load(false));
  const table = el("div", { class: "table-scroll" }, el("table", { class: "statement" },
    el("caption", { class: "sr" }, t("statement.title")),
    el("thead", {}, el("tr", {}, ...["date", "what", "in", "out", "balance"].map((k) => el("th", { scope: "col" }, t(`statement.${k}`, { unit: c.unit }))),
      ...(actions ? [el("th", { scope: "col" }, t("currencies.col.actions"))] : []))),
    body));
  return { node: el("div", {}, empty, table, more), reload: () => load(true) };
}

interface MonthStats { month: string; trades: number; volume: number; active_accounts: number; supply: number | null; velocity: number | null }
interface Stats {
  currency: Currency;
  balances: { accounts: number; open: number; frozen: number; closed: number; negative: number; zero: number; positive: number;
              min: number; median: number; max: number; supply: number; histogram: { from: number; to: number; count: number }[] };
  months: MonthStats[];
}

// A community's statistics: this month's figures, a year by month as charts, and how
// balances are spread; for its members and admins.
export async function statisticsPage(main: HTMLElement, el: El, cid: number): Promise<void> {
  const s = await getJson<Stats>(`/api/v1/currencies/${cid}/statistics?months=12`);
  const c = s.currency;
  document.title = `${t("stats.title")} · ${c.name} · Solidum`;
  const units = (v: number) => `${formatAmount(v, c.decimals)} ${c.unit}`;
  const monthName = (m: string) => new Intl.DateTimeFormat(lang(), { month: "short", year: "numeric", timeZone: "UTC" }).format(new Date(`${m}-01T00:00:00Z`));
  const now = s.months[s.months.length - 1];
  const figure = (label: string, value: string) => el("div", { class: "figure" }, el("dt", {}, label), el("dd", {}, value));
  const b = s.balances;
  const headline = el("dl", { class: "figures" },
    figure(t("stats.accounts"), String(b.accounts)),
    figure(t("stats.active"), String(now.active_accounts)),
    figure(t("stats.trades"), String(now.trades)),
    figure(t("stats.volume"), units(now.volume)),
    figure(t("stats.supply"), units(b.supply)),
    figure(t("stats.velocity"), now.velocity === null ? "—" : now.velocity.toLocaleString(lang())));
  const byMonth = (title: string, value: (m: MonthStats) => number, format?: (v: number) => string) =>
    barChart(title, s.months.map((m) => ({ label: monthName(m.month), value: value(m) })), false, 12, format);
  const spread = barChart(t("stats.spread"), b.histogram.map((h) => ({ label: `${formatAmount(h.from, c.decimals)} … ${formatAmount(h.to, c.decimals)}`, value: h.count })),
                          false, 24);
  main.replaceChildren(el("h1", {}, `${t("stats.title")} · ${c.name} (${c.code})`), el("p", { class: "hint" }, t("stats.asOf")), headline,
    el("div", { class: "charts" },
       byMonth(t("stats.volumeByMonth", { unit: c.unit }), (m) => m.volume, (v) => formatAmount(v, c.decimals)),
       byMonth(t("stats.activeByMonth"), (m) => m.active_accounts),
       byMonth(t("stats.tradesByMonth"), (m) => m.trades), spread),
    el("p", {}, t("stats.balancesLine", { negative: String(b.negative), zero: String(b.zero), positive: String(b.positive),
                                         min: units(b.min), median: units(b.median), max: units(b.max) })));
}

interface Listing {
  id: number; currency_id: number; account: { id: number; name: string }; kind: "offer" | "want"; title: string;
  description: string; category: string; price: number | null; open: boolean;
}
const CATEGORIES = ["home", "garden", "care", "transport", "lessons", "crafts", "food", "tech", "health", "admin", "arts", "events", "other"];

// A community's offers and wants: find by words, kind and category; post one; pay for an
// offer with a price in one step (a transfer to its holder, its title as the memo).
export async function listingsPage(main: HTMLElement, el: El, cid: number): Promise<void> {
  const mine = (await getJson<{ items: Account[] }>("/api/v1/me/accounts")).items.find((a) => a.currency.id === cid);
  const currency = mine?.currency ?? (await getJson<Currency>(`/api/v1/currencies/${cid}`));
  document.title = `${t("market.title")} · ${currency.name} · Solidum`;
  const q = el("input", { id: "market-q", type: "search" });
  const kind = el("select", { id: "market-kind" });
  for (const k of ["", "offer", "want"]) kind.append(el("option", { value: k }, t(k ? `market.kind.${k}s` : "market.kind.all")));
  const category = el("select", { id: "market-category" });
  category.append(el("option", { value: "" }, t("market.category.all")));
  for (const c of CATEGORIES) category.append(el("option", { value: c }, t(`market.category.${c}`)));
  const results = el("div", { "aria-live": "polite" });
  const status = el("p", { class: "form-message", role: "status" });
  const label = (control: HTMLElement, text: string) => el("div", { class: "field" }, el("label", { for: control.id }, text), control);

  const load = async () => {
    const params = new URLSearchParams({ limit: "50" });
    if (q.value.trim()) params.set("q", q.value.trim());
    if (kind.value) params.set("kind", kind.value);
    if (category.value) params.set("category", category.value);
    const page = await getJson<{ items: Listing[]; total: number }>(`/api/v1/currencies/${cid}/listings?${params}`);
    const list = el("ul", { class: "listings" });
    for (const l of page.items) {
      const price = l.price === null ? t("market.priceToAgree") : `${formatAmount(l.price, currency.decimals)} ${currency.unit}`;
      const item = el("li", { class: `listing ${l.kind}` },
        el("h3", {}, l.title),
        el("p", { class: "meta" }, `${t(`market.kind.${l.kind}`)} · ${t(`market.category.${l.category}`)} · ${l.account.name} · ${price}`));
      if (l.description) item.append(el("p", {}, l.description));
      if (mine && l.kind === "offer" && l.price !== null && l.account.id !== mine.id) {
        const pay = el("button", { type: "button" }, t("market.pay", { price }));
        pay.addEventListener("click", async () => {
          if (!confirm(t("market.confirm", { price, name: l.account.name, title: l.title }))) return;
          try {
            await sendJson("POST", "/api/v1/transfers", { id: transferId(), debit_account: mine.id, credit_account: l.account.id, amount: l.price, memo: l.title });
            status.textContent = t("pay.done", { amount: price, name: l.account.name });
          } catch (err) {
            if (!(err instanceof ProblemError)) throw err;
            const key = `pay.refused.${err.code}`;
            status.textContent = hasMessage(key) ? t(key) : err.message;
          }
        });
        item.append(pay);
      }
      list.append(item);
    }
    results.replaceChildren(el("p", {}, t("market.count", { n: String(page.total) })), list);
  };
  const search = el("form", { role: "search", class: "market-search" }, label(q, t("market.search")), label(kind, t("market.kind")),
                    label(category, t("market.category")), el("button", { type: "submit" }, t("market.find")));
  search.addEventListener("submit", (e) => { e.preventDefault(); void load(); });

  // Post an offer or a want.
  const newKind = el("select", { id: "new-kind" });
  for (const k of ["offer", "want"]) newKind.append(el("option", { value: k }, t(`market.kind.${k}`)));
  const newTitle = el("input", { id: "new-title", maxlength: "120", required: "" });
  const newCategory = el("select", { id: "new-category" });
  for (const c of CATEGORIES) newCategory.append(el("option", { value: c }, t(`market.category.${c}`)));
  const newPrice = el("input", { id: "new-price", inputmode: "decimal", autocomplete: "off" });
  const newDescription = el("textarea", { id: "new-description", maxlength: "4000", rows: "3" });
  const postMessage = el("p", { class: "form-message", role: "status" });
  const post = el("form", { class: "market-post", "aria-labelledby": "post-title" }, el("h2", { id: "post-title" }, t("market.postTitle")),
    label(newKind, t("market.kind")), label(newTitle, t("market.field.title")), label(newCategory, t("market.category")),
    label(newPrice, t("market.field.price", { unit: currency.unit })), label(newDescription, t("market.field.description")),
    el("button", { type: "submit" }, t("market.post")), postMessage);
  post.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body: Record<string, unknown> = { kind: newKind.value, title: newTitle.value, category: newCategory.value, description: newDescription.value };
    if (newPrice.value.trim()) {
      const minor = parseAmount(newPrice.value, currency.decimals);
      if (minor === null) {
        postMessage.textContent = t("pay.badAmount", { decimals: String(currency.decimals) });
        newPrice.focus();
        return;
      }
      body.price = minor;
    }
    try {
      await sendJson("POST", `/api/v1/currencies/${cid}/listings`, body);
      postMessage.textContent = t("market.posted");
      newTitle.value = newPrice.value = newDescription.value = "";
      await load();
    } catch (err) {
      if (!(err instanceof ProblemError)) throw err;
      postMessage.textContent = err.fields.length ? err.fields.map((f) => f.message).join(" ") : err.message;
    }
  });
  main.replaceChildren(el("h1", {}, `${t("market.title")} · ${currency.name}`), search, status, results, mine ? post : "");
  await load();
}

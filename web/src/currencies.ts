// A community's currencies, for its admins: create one (a mutual-credit exchange or a time
// bank), open accounts for members (or system accounts: a fund, a float), see every balance,
// change an account's limits, freeze, reopen or close it, and see the links to other
// communities. Amounts are typed in the currency's unit and sent as exact minor units.
import { ApiError, currentSession, getJson, ProblemError, sendJson, type Organisation } from "./api";
import { clearErrors, failAt, fieldBox, type El } from "./forms";
import { hasMessage, t } from "./i18n";
import { formatAmount, parseAmount, statementTable, type Entry } from "./ledger";

interface Currency {
  id: number; organisation_id: number; code: string; name: string; unit: string; decimals: number;
  default_credit_limit: number; default_upper_limit: number | null;
}
interface AccountRow {
  id: number; name: string; member_id: number | null; status: "open" | "frozen" | "closed"; balance: number; available: number;
  credit_limit: number; upper_limit: number | null; debits_pending: number; credits_pending: number;
}
interface MemberHit { id: number; name: string; number: string | null }
interface Link { id: number; a: Currency; b: Currency; rate: string; clearing_account_a: { id: number; balance: number }; clearing_account_b: { id: number; balance: number } }
interface Proposal {
  id: number; a: Currency; b: Currency; rate: string; clearing_credit_limit_a: number; clearing_credit_limit_b: number; note: string;
  status: "open" | "accepted" | "declined" | "withdrawn"; proposed_at: string; decided_at?: string; link_id?: number;
}

// The server's field errors at the controls `prefix + field name`; others in `message`.
function showProblem(form: HTMLElement, err: unknown, prefix: string, message: HTMLElement): void {
  if (!(err instanceof ProblemError)) throw err;
  let shown = false;
  for (const f of err.fields) {
    const c = form.querySelector<HTMLElement>(`#${prefix}${f.field.replace(/^\//, "")}`);
    if (c) {
      failAt(form, c, f.message);
      shown = true;
    }
  }
  if (!shown) message.textContent = hasMessage(`currencies.error.${err.code}`) ? t(`currencies.error.${err.code}`) : err.message;
}

// An optional amount in the unit: "" -> null; otherwise minor units, or undefined when bad.
function optionalAmount(text: string, decimals: number): number | null | undefined {
  if (!text.trim()) return null;
  if (/^0+([.,]0*)?$/.test(text.trim())) return 0;
  return parseAmount(text, decimals) ?? undefined;
}

// Minor units as a plain decimal to edit ("12.50"): no grouping, so it reads back exactly.
function plainAmount(minor: number, decimals: number): string {
  if (decimals === 0) return String(minor);
  const digits = String(minor).padStart(decimals + 1, "0");
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

export async function currenciesPage(main: HTMLElement, el: El, navigate: (path: string) => void, org: number): Promise<void> {
  const [o, list] = await Promise.all([
    getJson<Organisation>(`/api/v1/organisations/${org}`),
    getJson<{ items: Currency[] }>(`/api/v1/organisations/${org}/currencies`),
  ]);
  document.title = `${t("currencies.title")} · ${o.name} · Solidum`;
  const table = list.items.length === 0 ? el("p", {}, t("currencies.none")) : el("table", { class: "members" },
    el("thead", {}, el("tr", {}, ...["code", "name", "unit", "decimals"].map((c) => el("th", { scope: "col" }, t(`currencies.col.${c}`))))),
    el("tbody", {}, ...list.items.map((c) => el("tr", {},
      el("td", {}, el("a", { href: `/organisations/${org}/currencies/${c.id}`, "data-link": "" }, c.code)),
      el("td", {}, c.name), el("td", {}, c.unit), el("td", { class: "num" }, String(c.decimals))))));

  const code = el("input", { id: "cur-code", maxlength: "16", required: "", autocomplete: "off", pattern: "[A-Za-z0-9-]+" });
  const name = el("input", { id: "cur-name", maxlength: "200", required: "" });
  const unit = el("input", { id: "cur-unit", maxlength: "50", required: "" });
  const decimals = el("select", { id: "cur-decimals" }, ...[0, 1, 2, 3, 4, 5, 6].map((d) => el("option", { value: String(d) }, String(d))));
  decimals.value = "0";
  const credit = el("input", { id: "cur-default_credit_limit", inputmode: "decimal", required: "", autocomplete: "off" });
  const upper = el("input", { id: "cur-default_upper_limit", inputmode: "decimal", autocomplete: "off" });
  const message = el("p", { class: "form-message", role: "status" });
  const form = el("form", { class: "form", "aria-labelledby": "cur-new" },
    el("h2", { id: "cur-new" }, t("currencies.new")),
    fieldBox(el, code, t("currencies.code"), t("currencies.codeHint")), fieldBox(el, name, t("currencies.name")), fieldBox(el, unit, t("currencies.unit"), t("currencies.unitHint")),
    fieldBox(el, decimals, t("currencies.decimals"), t("currencies.decimalsHint")),
    fieldBox(el, credit, t("currencies.creditLimit"), t("currencies.creditLimitHint")), fieldBox(el, upper, t("currencies.upperLimit"), t("currencies.upperLimitHint")),
    el("button", { type: "submit" }, t("currencies.create")), message);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    message.textContent = "";
    const d = Number(decimals.value);
    const limit = optionalAmount(credit.value, d), top = optionalAmount(upper.value, d);
    if (limit === undefined || limit === null) return failAt(form, credit, t("currencies.badAmount", { decimals: String(d) }));
    if (top === undefined) return failAt(form, upper, t("currencies.badAmount", { decimals: String(d) }));
    try {
      const r = await sendJson<Currency>("POST", `/api/v1/organisations/${org}/currencies`, {
        code: code.value.trim().toUpperCase(), name: name.value, unit: unit.value, decimals: d, default_credit_limit: limit, default_upper_limit: top });
      navigate(`/organisations/${org}/currencies/${r.body.id}`);
    } catch (err) {
      showProblem(form, err, "cur-", message);
    }
  });
  main.replaceChildren(
    el("p", {}, el("a", { href: `/organisations/${org}`, "data-link": "" }, "← " + o.name)),
    el("h1", {}, `${t("currencies.title")} · ${o.name}`), el("p", {}, t("currencies.intro")), table, form);
}

export async function currencyAdminPage(main: HTMLElement, el: El, org: number, cid: number): Promise<void> {
  const base = `/api/v1/organisations/${org}/currencies/${cid}`;
  const [o, c, links] = await Promise.all([
    getJson<Organisation>(`/api/v1/organisations/${org}`),
    getJson<Currency>(`/api/v1/currencies/${cid}`),
    getJson<{ items: Link[] }>(`/api/v1/currencies/${cid}/links`),
  ]);
  document.title = `${c.name} · ${t("currencies.title")} · Solidum`;
  const units = (v: number | null) => (v === null ? t("currencies.noLimit") : `${formatAmount(v, c.decimals)} ${c.unit}`);
  const status = el("p", { class: "form-message", role: "status", id: "acc-status" });

  // The accounts, with their actions.
  const tbody = el("tbody");
  const count = el("p", { id: "acc-count" });
  const more = el("button", { type: "button", hidden: "" }, t("list.more"));
  let cursor: string | null = null;
  const editor = el("form", { class: "form", hidden: "", "aria-labelledby": "acc-edit-title" });
  const row = (a: AccountRow): HTMLTableRowElement => {
    const actions = el("td", {});
    const act = (label: string, change: Record<string, unknown>, confirmText = "") => {
      const b = el("button", { type: "button", class: "link" }, label);
      b.addEventListener("click", async () => {
        if (confirmText && !window.confirm(confirmText)) return;
        try {
          const r = await sendJson<AccountRow>("PATCH", `${base}/accounts/${a.id}`, change);
          tr.replaceWith(row(r.body));
          status.textContent = t(`currencies.done.${String(change.status)}`, { name: a.name });
        } catch (err) {
          if (!(err instanceof ProblemError)) throw err;
          status.textContent = hasMessage(`currencies.error.${err.code}`) ? t(`currencies.error.${err.code}`) : err.message;
        }
      });
      return b;
    };
    const statement = el("button", { type: "button", class: "link" }, t("currencies.statement"));
    statement.addEventListener("click", () => void showStatement(a));
    actions.append(statement);
    if (a.status !== "closed") {
      actions.append(" · ");
      const limits = el("button", { type: "button", class: "link" }, t("currencies.editLimits"));
      limits.addEventListener("click", () => edit(a, (r) => tr.replaceWith(row(r))));
      actions.append(limits, " · ");
      actions.append(a.status === "open" ? act(t("currencies.freeze"), { status: "frozen" }) : act(t("currencies.reopen"), { status: "open" }));
      if (a.balance === 0 && a.debits_pending === 0 && a.credits_pending === 0) {
        actions.append(" · ", act(t("currencies.close"), { status: "closed" }, t("currencies.closeConfirm", { name: a.name })));
      }
    }
    const tr = el("tr", {}, el("th", { scope: "row" }, a.name + (a.member_id === null ? ` (${t("currencies.system")})` : "")),
      el("td", { class: "num" }, formatAmount(a.balance, c.decimals)), el("td", { class: "num" }, formatAmount(a.credit_limit, c.decimals)),
      el("td", { class: "num" }, a.upper_limit === null ? "—" : formatAmount(a.upper_limit, c.decimals)),
      el("td", {}, t(`currencies.status.${a.status}`)), actions);
    return tr;
  };
  const load = async (again: boolean) => {
    const page = await getJson<{ items: AccountRow[]; total: number; next_cursor: string | null }>(
      `${base}/accounts?limit=100${!again && cursor ? `&cursor=${cursor}` : ""}`);
    if (again) tbody.replaceChildren();
    for (const a of page.items) tbody.append(row(a));
    cursor = page.next_cursor;
    more.hidden = cursor === null;
    count.textContent = t("currencies.accountsCount", { total: String(page.total) });
  };
  more.addEventListener("click", () => void load(false));

  // Changing an account's limits, in a form under the table (the focus moves there).
  const edit = (a: AccountRow, done: (r: AccountRow) => void) => {
    const credit = el("input", { id: "edit-credit_limit", inputmode: "decimal", autocomplete: "off" });
    credit.value = plainAmount(a.credit_limit, c.decimals);
    const upper = el("input", { id: "edit-upper_limit", inputmode: "decimal", autocomplete: "off" });
    upper.value = a.upper_limit === null ? "" : plainAmount(a.upper_limit, c.decimals);
    const message = el("p", { class: "form-message", role: "status" });
    const cancel = el("button", { type: "button", class: "link" }, t("currencies.cancel"));
    cancel.addEventListener("click", () => (editor.hidden = true));
    editor.replaceChildren(el("h2", { id: "acc-edit-title" }, t("currencies.limitsOf", { name: a.name })),
      fieldBox(el, credit, t("currencies.creditLimit"), t("currencies.creditLimitAccountHint")),
      fieldBox(el, upper, t("currencies.upperLimit"), t("currencies.upperLimitHint")),
      el("button", { type: "submit" }, t("currencies.save")), " ", cancel, message);
    editor.hidden = false;
    editor.onsubmit = async (e) => {
      e.preventDefault();
      clearErrors(editor);
      const limit = optionalAmount(credit.value, c.decimals);
      const top = optionalAmount(upper.value, c.decimals);
      if (limit === undefined || limit === null) return failAt(editor, credit, t("currencies.badAmount", { decimals: String(c.decimals) }));
      if (top === undefined) return failAt(editor, upper, t("currencies.badAmount", { decimals: String(c.decimals) }));
      try {
        const r = await sendJson<AccountRow>("PATCH", `${base}/accounts/${a.id}`, { credit_limit: limit, upper_limit: top });
        done(r.body);
        editor.hidden = true;
        status.textContent = t("currencies.saved", { name: a.name });
      } catch (err) {
        showProblem(editor, err, "edit-", message);
      }
    };
    credit.focus();
  };

  // An account's statement under the table, where a transfer that moved money can be
  // reversed (entries are append-only: a correction is a transfer back, with a reason).
  const ledgerView = el("section", { hidden: "", "aria-labelledby": "acc-statement-title" });
  const showStatement = async (a: AccountRow) => {
    const message = el("p", { class: "form-message", role: "status" });
    const reverseForm = el("form", { class: "form", hidden: "", "aria-labelledby": "reverse-title" });
    const reverse = (e: Entry) => {
      const reason = el("input", { id: "reverse-reason", maxlength: "150", autocomplete: "off" });
      const cancel = el("button", { type: "button", class: "link" }, t("currencies.cancel"));
      cancel.addEventListener("click", () => (reverseForm.hidden = true));
      const amount = `${formatAmount(e.amount, c.decimals)} ${c.unit}`;
      reverseForm.replaceChildren(el("h3", { id: "reverse-title" }, t("reverse.title", { amount, name: e.counterparty.name })),
        fieldBox(el, reason, t("reverse.reason"), t("reverse.reasonHint")), el("button", { type: "submit" }, t("reverse.submit")), " ", cancel);
      reverseForm.hidden = false;
      reverseForm.onsubmit = async (ev) => {
        ev.preventDefault();
        clearErrors(reverseForm);
        try {
          await sendJson("POST", "/api/v1/reversals", { reverses: e.id, reason: reason.value });
          reverseForm.hidden = true;
          message.textContent = t("reverse.done", { amount });
          await Promise.all([table.reload(), load(true)]);
        } catch (err) {
          if (!(err instanceof ProblemError)) throw err;
          if (err.fields.some((f) => f.field === "/reason")) return failAt(reverseForm, reason, err.fields[0].message);
          message.textContent = hasMessage(`reverse.error.${err.code}`) ? t(`reverse.error.${err.code}`) : err.message;
        }
      };
      reason.focus();
    };
    const table = statementTable(el, a.id, c, (e) => {
      if ((e.kind !== "transfer" && e.kind !== "posted") || e.amount <= 0) return "";
      const b = el("button", { type: "button", class: "link" }, t("reverse.button"));
      b.addEventListener("click", () => reverse(e));
      return b;
    });
    const heading = el("h2", { id: "acc-statement-title", tabindex: "-1" }, t("currencies.statementOf", { name: a.name }));
    ledgerView.replaceChildren(heading, message, table.node, reverseForm);
    ledgerView.hidden = false;
    await table.reload();
    heading.focus();
  };

  // Opening an account: for a member found by name, or a system account.
  const find = el("input", { id: "open-find", type: "search", autocomplete: "off" });
  const member = el("select", { id: "open-member_id" }, el("option", { value: "" }, t("currencies.systemAccount")));
  const name = el("input", { id: "open-name", maxlength: "200", required: "" });
  const credit = el("input", { id: "open-credit_limit", inputmode: "decimal", autocomplete: "off" });
  const message = el("p", { class: "form-message", role: "status" });
  let typing = 0;
  find.addEventListener("input", () => {
    clearTimeout(typing);
    typing = window.setTimeout(async () => {
      const hits = await getJson<{ items: MemberHit[] }>(`/api/v1/organisations/${org}/members?filter=current&limit=50&q=${encodeURIComponent(find.value)}`);
      member.replaceChildren(el("option", { value: "" }, t("currencies.systemAccount")),
        ...hits.items.map((m) => el("option", { value: String(m.id) }, m.number ? `${m.name} (${m.number})` : m.name)));
      if (hits.items.length) {
        member.value = String(hits.items[0].id);
        name.value = hits.items[0].name;
      }
    }, 250);
  });
  member.addEventListener("change", () => {
    if (member.value) name.value = (member.selectedOptions[0].textContent ?? "").replace(/ \([^)]*\)$/, "");
  });
  const open = el("form", { class: "form", "aria-labelledby": "open-title" },
    el("h2", { id: "open-title" }, t("currencies.open")),
    fieldBox(el, find, t("currencies.findMember")), fieldBox(el, member, t("currencies.member")), fieldBox(el, name, t("currencies.accountName")),
    fieldBox(el, credit, t("currencies.creditLimit"), t("currencies.defaultHint", { limit: units(c.default_credit_limit) })),
    el("button", { type: "submit" }, t("currencies.openSubmit")), message);
  open.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(open);
    message.textContent = "";
    const limit = optionalAmount(credit.value, c.decimals);
    if (limit === undefined) return failAt(open, credit, t("currencies.badAmount", { decimals: String(c.decimals) }));
    const body: Record<string, unknown> = { name: name.value };
    if (member.value) body.member_id = Number(member.value);
    if (limit !== null) body.credit_limit = limit;
    try {
      await sendJson("POST", `${base}/accounts`, body);
      message.textContent = t("currencies.opened", { name: name.value });
      name.value = "";
      credit.value = "";
      await load(true);
    } catch (err) {
      showProblem(open, err, "open-", message);
    }
  });

  const linkList = links.items.length === 0 ? el("p", {}, t("currencies.noLinks")) : el("ul", {}, ...links.items.map((l) => {
    const other = l.a.id === c.id ? l.b : l.a;
    const mine = l.a.id === c.id ? l.clearing_account_a.balance : l.clearing_account_b.balance;
    return el("li", {}, t("currencies.linkLine", { other: `${other.name} (${other.code})`, rate: `1 ${l.a.unit} = ${l.rate} ${l.b.unit}`,
                                                  position: `${formatAmount(mine, c.decimals)} ${c.unit}` }));
  }));
  main.replaceChildren(
    el("p", {}, el("a", { href: `/organisations/${org}/currencies`, "data-link": "" }, "← " + `${t("currencies.title")} · ${o.name}`)),
    el("h1", {}, `${c.name} (${c.code})`),
    el("p", { class: "meta" }, t("currencies.defaults", { credit: units(c.default_credit_limit), upper: units(c.default_upper_limit) }), " · ",
       el("a", { href: `/currencies/${cid}/statistics`, "data-link": "" }, t("stats.link")), " · ",
       el("a", { href: `/currencies/${cid}/listings`, "data-link": "" }, t("market.link"))),
    el("h2", {}, t("currencies.accounts")), count, status,
    el("table", { class: "members", id: "accounts" },
       el("thead", {}, el("tr", {}, ...["name", "balance", "credit_limit", "upper_limit", "status", "actions"].map((k) =>
         el("th", { scope: "col" }, t(`currencies.col.${k}`))))), tbody),
    more, editor, ledgerView, open,
    el("h2", {}, t("currencies.links")), linkList, await linkForm(el, c, links.items, () => currencyAdminPage(main, el, org, cid)),
    ...await proposalsSection(el, c, () => currencyAdminPage(main, el, org, cid)));
  await load(true);
}

// Linking this currency with another the user also administers (both communities consent
// through someone who administers both): the rate and each side's clearing limit.
async function linkForm(el: El, c: Currency, links: Link[], done: () => Promise<void>): Promise<HTMLElement | string> {
  const linked = new Set(links.flatMap((l) => [l.a.id, l.b.id]));
  const orgs = (currentSession()?.roles ?? []).filter((r) => r.role === "admin").map((r) => r.organisation_id);
  const lists = await Promise.all(orgs.map((o) => getJson<{ items: Currency[] }>(`/api/v1/organisations/${o}/currencies`)));
  const candidates = lists.flatMap((l) => l.items).filter((x) => x.id !== c.id && !linked.has(x.id));
  if (candidates.length === 0) return "";
  const other = el("select", { id: "link-currency_b" }, ...candidates.map((x) => el("option", { value: String(x.id) }, `${x.name} (${x.code})`)));
  const rate = el("input", { id: "link-rate", inputmode: "decimal", required: "", autocomplete: "off" });
  const mine = el("input", { id: "link-clearing_credit_limit_a", inputmode: "decimal", autocomplete: "off" });
  const theirs = el("input", { id: "link-clearing_credit_limit_b", inputmode: "decimal", autocomplete: "off" });
  const chosen = () => candidates.find((x) => String(x.id) === other.value)!;
  const labels = () => {
    const o = chosen();
    form.querySelector('label[for="link-rate"]')!.textContent = t("currencies.linkRate", { one: `1 ${c.unit}`, unit: o.unit });
    form.querySelector('label[for="link-clearing_credit_limit_a"]')!.textContent = t("currencies.linkLimitHere", { other: o.name, unit: c.unit });
    form.querySelector('label[for="link-clearing_credit_limit_b"]')!.textContent = t("currencies.linkLimitThere", { unit: o.unit, other: o.name });
  };
  const message = el("p", { class: "form-message", role: "status" });
  const form = el("form", { class: "form", "aria-labelledby": "link-title" },
    el("h2", { id: "link-title" }, t("currencies.linkTitle")), el("p", { class: "hint" }, t("currencies.linkHint")),
    fieldBox(el, other, t("currencies.linkWith")), fieldBox(el, rate, ""), fieldBox(el, mine, ""), fieldBox(el, theirs, ""),
    el("button", { type: "submit" }, t("currencies.linkSubmit")), message);
  other.addEventListener("change", labels);
  labels();
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    message.textContent = "";
    const o = chosen();
    const a = optionalAmount(mine.value, c.decimals), b = optionalAmount(theirs.value, o.decimals);
    if (a === undefined) return failAt(form, mine, t("currencies.badAmount", { decimals: String(c.decimals) }));
    if (b === undefined) return failAt(form, theirs, t("currencies.badAmount", { decimals: String(o.decimals) }));
    try {
      await sendJson("POST", "/api/v1/currency-links", { currency_a: c.id, currency_b: o.id, rate: rate.value.trim().replace(",", "."),
                                                          clearing_credit_limit_a: a ?? 0, clearing_credit_limit_b: b ?? 0 });
      await done();
    } catch (err) {
      showProblem(form, err, "link-", message);
    }
  });
  return form;
}

// Linking with a community whose admins are others: the proposals this currency sent or
// received (accept, decline, withdraw while open), and a form to propose one by the other
// currency's code. Accepting makes the link with the proposed terms.
async function proposalsSection(el: El, c: Currency, done: () => Promise<void>): Promise<HTMLElement[]> {
  const list = await getJson<{ items: Proposal[] }>(`/api/v1/currencies/${c.id}/link-proposals`);
  const status = el("p", { class: "form-message", role: "status" });
  const act = async (p: Proposal, action: "accept" | "decline" | "withdraw") => {
    status.textContent = "";
    try {
      await sendJson("POST", `/api/v1/currency-link-proposals/${p.id}/${action}`, {});
      await done();
    } catch (err) {
      if (!(err instanceof ProblemError)) throw err;
      status.textContent = hasMessage(`currencies.error.${err.code}`) ? t(`currencies.error.${err.code}`) : err.message;
    }
  };
  const items = list.items.map((p) => {
    const sent = p.a.id === c.id;
    const other = sent ? p.b : p.a;
    // From this currency's side: how far the other community may owe here, and this one there.
    const here = sent ? p.clearing_credit_limit_a : p.clearing_credit_limit_b;
    const there = sent ? p.clearing_credit_limit_b : p.clearing_credit_limit_a;
    const li = el("li", { class: "proposal" },
      el("p", {}, t(sent ? "proposals.sent" : "proposals.received", { other: `${other.name} (${other.code})`, rate: `1 ${p.a.unit} = ${p.rate} ${p.b.unit}` }),
         " · ", el("strong", {}, t(`proposals.status.${p.status}`))),
      el("p", { class: "meta" }, t("proposals.limits", { here: `${formatAmount(here, c.decimals)} ${c.unit}`, there: `${formatAmount(there, other.decimals)} ${other.unit}` })));
    if (p.note) li.append(el("p", { class: "hint" }, p.note));
    if (p.status === "open") {
      const buttons = sent ? [["withdraw", "proposals.withdraw"]] as const : [["accept", "proposals.accept"], ["decline", "proposals.decline"]] as const;
      li.append(el("p", {}, ...buttons.map(([action, label]) => {
        const b = el("button", { type: "button", class: action === "accept" ? "" : "secondary" }, t(label));
        b.addEventListener("click", () => act(p, action));
        return b;
      })));
    }
    return li;
  });

  const code = el("input", { id: "propose-currency_b", required: "", autocomplete: "off", maxlength: "16" });
  const rate = el("input", { id: "propose-rate", inputmode: "decimal", required: "", autocomplete: "off" });
  const mine = el("input", { id: "propose-clearing_credit_limit_a", inputmode: "decimal", autocomplete: "off" });
  const theirs = el("input", { id: "propose-clearing_credit_limit_b", inputmode: "decimal", autocomplete: "off" });
  const note = el("textarea", { id: "propose-note", rows: "2", maxlength: "2000" });
  const message = el("p", { class: "form-message", role: "status" });
  const form = el("form", { class: "form", "aria-labelledby": "propose-title" },
    el("h2", { id: "propose-title" }, t("proposals.proposeTitle")), el("p", { class: "hint" }, t("proposals.proposeHint")),
    fieldBox(el, code, t("proposals.code")), fieldBox(el, rate, t("proposals.rate", { unit: c.unit })),
    fieldBox(el, mine, t("proposals.limitHere", { unit: c.unit })), fieldBox(el, theirs, t("proposals.limitThere")),
    fieldBox(el, note, t("proposals.note")),
    el("button", { type: "submit" }, t("proposals.submit")), message);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    message.textContent = "";
    let other: Currency;
    try {
      other = await getJson<Currency>(`/api/v1/currencies/by-code/${encodeURIComponent(code.value.trim())}`);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 404) throw err;
      return failAt(form, code, t("proposals.unknownCode"));
    }
    const a = optionalAmount(mine.value, c.decimals), b = optionalAmount(theirs.value, other.decimals);
    if (a === undefined) return failAt(form, mine, t("currencies.badAmount", { decimals: String(c.decimals) }));
    if (b === undefined) return failAt(form, theirs, t("currencies.badAmount", { decimals: String(other.decimals) }));
    try {
      await sendJson("POST", "/api/v1/currency-link-proposals", { currency_a: c.id, currency_b: other.id, rate: rate.value.trim().replace(",", "."),
                                                                  clearing_credit_limit_a: a ?? 0, clearing_credit_limit_b: b ?? 0, note: note.value });
      await done();
    } catch (err) {
      showProblem(form, err, "propose-", message);
    }
  });
  return [el("h2", {}, t("proposals.title")), items.length ? el("ul", { class: "proposals" }, ...items) : el("p", {}, t("proposals.none")), status, form];
}

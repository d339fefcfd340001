// Member shares in the browser: the organisation's register of share capital for those who
// keep its member register (open the book, share classes, subscriptions, payments in
// instalments, transfers and redemptions, the holdings with a chart), and a member's own
// shares in every organisation (/me/shares). Amounts are typed in the capital's unit and
// travel as integer minor units.
import { getJson, sendJson, type Organisation } from "./api";
import { barChart } from "./chart";
import { dataTable, labelledField, localError, sendingForm, today, type El } from "./forms";
import { t } from "./i18n";
import { formatAmount, parseAmount } from "./ledger";

interface ShareClass { id: number; code: string; name: string; nominal: number; member_class: string | null; min_shares: number; max_shares: number; min_holding_years: number }
interface Holding { member_id: number; member: string; number: string; class: string; shares: number; capital: number; subscribed: number; unpaid: number }
interface Register {
  code: string; unit: string; decimals: number; shares: number; capital: number; unpaid: number; members: number; cash: number;
  classes: ShareClass[]; holdings: Holding[];
}
interface Subscription { id: number; class: string; member_id: number; member: string; shares: number; amount: number; paid: number; subscribed_on: string; certificate: number | null }
interface Certificate { number: number; class: string; member: string; shares: number; issued_on: string; origin: string; cancelled_on: string | null }
interface Member { id: number; name: string; number: string | null }

// A form of this page: the server's refusals at its fields, `sh.error.CODE` otherwise.
function form(el: El, id: string, title: string, fields: HTMLElement[], submit: string, send: () => Promise<void>): HTMLFormElement {
  return sendingForm(el, id, title, fields, submit, send, "sh.error.");
}
function select(el: El, options: [string, string][], attrs: Record<string, string> = {}): HTMLSelectElement {
  const s = el("select", attrs);
  for (const [value, label] of options) s.append(el("option", { value }, label));
  return s;
}

export async function sharesPage(main: HTMLElement, el: El, org: number, notice = ""): Promise<void> {
  const base = `/api/v1/organisations/${org}/shares`;
  const organisation = await getJson<Organisation>(`/api/v1/organisations/${org}`);
  document.title = `${t("sh.title")} · ${organisation.name} · Solidum`;
  const reload = (message = "") => sharesPage(main, el, org, message);
  const back = el("p", {}, el("a", { href: `/organisations/${org}`, "data-link": "" }, `← ${organisation.name}`));
  let reg: Register;
  try {
    reg = await getJson<Register>(base);
  } catch {
    // No book yet: open one.
    const code = el("input", { type: "text", required: "", maxlength: "16", autocomplete: "off" });
    const unit = el("input", { type: "text", required: "", maxlength: "50", value: "EUR" });
    const decimals = el("input", { type: "number", min: "0", max: "6", value: "2", required: "" });
    const f = (k: string, c: HTMLElement, hint = "") => labelledField(el, "sh.field.", k, c, hint, `open-${k}`);
    main.replaceChildren(back, el("h1", {}, t("sh.title")), el("p", { class: "intro" }, t("sh.intro")),
      form(el, "open", t("sh.open"), [f("code", code, t("sh.hint.code")), f("unit", unit), f("decimals", decimals)], t("sh.openSubmit"), async () => {
        await sendJson("POST", base, { code: code.value.trim().toUpperCase(), unit: unit.value, decimals: Number(decimals.value) });
        await reload(t("sh.opened"));
      }));
    return;
  }
  const [members, subscriptions, certificates] = await Promise.all([
    getJson<{ items: Member[] }>(`/api/v1/organisations/${org}/members?limit=200`),
    getJson<{ items: Subscription[] }>(`${base}/subscriptions`),
    getJson<{ items: Certificate[] }>(`${base}/certificates`)]);
  const money = (v: number) => `${formatAmount(v, reg.decimals)} ${reg.unit}`;
  const memberOptions: [string, string][] = members.items.map((m) => [String(m.id), m.number ? `${m.name} (${m.number})` : m.name]);
  const classOptions: [string, string][] = reg.classes.map((c) => [String(c.id), `${c.code} — ${c.name} (${money(c.nominal)})`]);

  const dl = el("dl", { class: "figures", id: "shares-figures" });
  for (const [k, v] of [["members", String(reg.members)], ["shares", String(reg.shares)], ["capital", money(reg.capital)], ["unpaid", money(reg.unpaid)],
                        ["cash", money(reg.cash)]] as [string, string][]) {
    dl.append(el("dt", {}, t(`sh.figure.${k}`)), el("dd", { id: `shares-${k}` }, v));
  }
  const table = (id: string, heads: string[], rows: (string | Node)[][]) => dataTable(el, id, heads, rows);
  const holdings = reg.holdings.length
    ? table("holdings", ["sh.col.member", "sh.col.number", "sh.col.class", "sh.col.shares", "sh.col.capital", "sh.col.unpaid"],
            reg.holdings.map((h) => [h.member, h.number, h.class, String(h.shares), money(h.capital), money(h.unpaid)]))
    : el("p", {}, t("sh.noHoldings"));
  const chart = reg.holdings.length ? barChart(t("sh.chart.capital"), reg.holdings.map((h) => ({ label: h.member, value: h.capital })), true, 12, money) : el("span");
  const classes = reg.classes.length
    ? table("classes", ["sh.col.code", "sh.col.name", "sh.col.nominal", "sh.col.memberClass", "sh.col.range", "sh.col.holding"],
            reg.classes.map((c) => [c.code, c.name, money(c.nominal), c.member_class ?? t("sh.anyMember"), `${c.min_shares} – ${c.max_shares}`, String(c.min_holding_years)]))
    : el("p", {}, t("sh.noClasses"));
  const open = subscriptions.items.filter((s) => s.certificate === null);
  const pending = open.length
    ? table("subscriptions", ["sh.col.member", "sh.col.class", "sh.col.shares", "sh.col.amount", "sh.col.paid", "sh.col.date"],
            open.map((s) => [s.member, s.class, String(s.shares), money(s.amount), money(s.paid), s.subscribed_on]))
    : el("p", {}, t("sh.noPending"));
  const certs = certificates.items.length
    ? table("certificates", ["sh.col.certificate", "sh.col.member", "sh.col.class", "sh.col.shares", "sh.col.issued", "sh.col.cancelled"],
            certificates.items.map((k) => [String(k.number), k.member, k.class, String(k.shares), k.issued_on, k.cancelled_on ?? ""]))
    : el("p", {}, t("sh.noCertificates"));

  // Forms.
  const fl = (prefix: string) => (k: string, c: HTMLElement, hint = "") => labelledField(el, "sh.field.", k, c, hint, `${prefix}-${k}`);
  const c = { code: el("input", { type: "text", required: "", maxlength: "32", autocomplete: "off" }), name: el("input", { type: "text", required: "", maxlength: "200" }),
              nominal: el("input", { type: "text", inputmode: "decimal", required: "" }), memberClass: el("input", { type: "text", maxlength: "32" }),
              min: el("input", { type: "number", min: "0", value: "1" }), max: el("input", { type: "number", min: "1", value: "1000" }),
              years: el("input", { type: "number", min: "0", value: "0" }) };
  const cf = fl("class");
  const classForm = form(el, "class", t("sh.classCreate"),
    [labelledField(el, "sh.field.", "class_code", c.code, t("sh.hint.classCode"), "class-code"), cf("name", c.name), cf("nominal", c.nominal, reg.unit), cf("member_class", c.memberClass, t("sh.hint.memberClass")),
     cf("min_shares", c.min), cf("max_shares", c.max), cf("min_holding_years", c.years)], t("sh.classSubmit"), async () => {
      const nominal = parseAmount(c.nominal.value, reg.decimals);
      if (nominal === null) throw localError("/nominal", t("sh.error.amount"));
      await sendJson("POST", `${base}/classes`, { code: c.code.value.trim(), name: c.name.value, nominal, member_class: c.memberClass.value.trim(),
                                                  min_shares: Number(c.min.value), max_shares: Number(c.max.value), min_holding_years: Number(c.years.value) });
      await reload(t("sh.classCreated"));
    });
  const forms: HTMLElement[] = [classForm];
  if (reg.classes.length && members.items.length) {
    const s = { cls: select(el, classOptions), member: select(el, memberOptions), shares: el("input", { type: "number", min: "1", required: "" }),
                on: el("input", { type: "date", required: "", value: today() }) };
    const sf = fl("subscribe");
    forms.push(form(el, "subscribe", t("sh.subscribe"), [sf("class_id", s.cls), sf("member_id", s.member), sf("shares", s.shares), sf("subscribed_on", s.on)],
      t("sh.subscribeSubmit"), async () => {
        await sendJson("POST", `${base}/subscriptions`, { class_id: Number(s.cls.value), member_id: Number(s.member.value), shares: Number(s.shares.value), subscribed_on: s.on.value });
        await reload(t("sh.subscribed"));
      }));
    const m = { cls: select(el, classOptions), from: select(el, memberOptions), to: select(el, [["", t("sh.redeem")], ...memberOptions]),
                shares: el("input", { type: "number", min: "1", required: "" }), on: el("input", { type: "date", required: "", value: today() }),
                ref: el("input", { type: "text", required: "", maxlength: "40", autocomplete: "off" }) };
    const mf = fl("move");
    forms.push(form(el, "move", t("sh.move"), [mf("class_id", m.cls), mf("from_member", m.from), mf("to_member", m.to, t("sh.hint.to")), mf("shares", m.shares), mf("on", m.on),
                                               mf("id", m.ref, t("sh.hint.reference"))], t("sh.moveSubmit"), async () => {
      const body: Record<string, unknown> = { id: m.ref.value.trim(), class_id: Number(m.cls.value), from_member: Number(m.from.value), shares: Number(m.shares.value), on: m.on.value };
      if (m.to.value) body.to_member = Number(m.to.value);
      const r = await sendJson<{ replayed: boolean }>("POST", `${base}/movements`, body);
      await reload(r.body.replayed ? t("sh.replayed") : t("sh.moved"));
    }));
  }
  if (open.length) {
    const p = { sub: select(el, open.map((s) => [String(s.id), `${s.member} — ${s.shares} ${s.class} (${money(s.amount - s.paid)})`])),
                amount: el("input", { type: "text", inputmode: "decimal", required: "" }), on: el("input", { type: "date", required: "", value: today() }),
                ref: el("input", { type: "text", required: "", maxlength: "40", autocomplete: "off" }) };
    const pf = fl("pay");
    forms.push(form(el, "pay", t("sh.pay"), [pf("subscription", p.sub), pf("amount", p.amount, reg.unit), pf("paid_on", p.on), pf("id", p.ref, t("sh.hint.reference"))],
      t("sh.paySubmit"), async () => {
        const amount = parseAmount(p.amount.value, reg.decimals);
        if (amount === null) throw localError("/amount", t("sh.error.amount"));
        const r = await sendJson<{ replayed: boolean; certificate: number | null }>("POST", `${base}/subscriptions/${p.sub.value}/payments`,
                                                                                  { id: p.ref.value.trim(), amount, paid_on: p.on.value });
        await reload(r.body.replayed ? t("sh.replayed") : r.body.certificate ? t("sh.certified", { number: r.body.certificate }) : t("sh.paid"));
      }));
  }
  main.replaceChildren(back, el("h1", {}, t("sh.title")), el("p", { class: "intro" }, t("sh.vote")), el("p", { role: "status", id: "shares-notice" }, notice), dl,
    el("h2", {}, t("sh.register")), holdings, chart, el("h2", {}, t("sh.pending")), pending, el("h2", {}, t("sh.classes")), classes,
    el("h2", {}, t("sh.certificates")), certs, ...forms);
}

export async function mySharesPage(main: HTMLElement, el: El): Promise<void> {
  interface Refund { allocation_id: number; year: string; status: string; interest: number; refund: number }
  interface Own {
    organisation_id: number; organisation: string; unit: string; decimals: number; shares: number; certificates: Certificate[]; subscriptions: Subscription[];
    refunds: Refund[];
  }
  const mine = await getJson<{ items: Own[] }>("/api/v1/me/shares");
  document.title = `${t("sh.mine")} · Solidum`;
  const sections = mine.items.map((o) => {
    const money = (v: number) => `${formatAmount(v, o.decimals)} ${o.unit}`;
    return el("section", { class: "own-shares" }, el("h2", {}, o.organisation),
      el("p", {}, t("sh.youHold", { shares: o.shares })),
      el("ul", {}, ...o.certificates.map((k) => el("li", {}, t("sh.certificateLine", { number: k.number, shares: k.shares, class: k.class, date: k.issued_on })))),
      ...(o.subscriptions.length ? [el("p", {}, t("sh.toPay")), el("ul", {}, ...o.subscriptions.map((s) => el("li", {}, `${s.shares} ${s.class}: ${money(s.paid)} / ${money(s.amount)}`)))] : []),
      ...(o.refunds.length ? [el("h3", {}, t("sh.myRefunds")), el("ul", { class: "refunds" }, ...o.refunds.map((r) => el("li", {},
        t(r.status === "posted" ? "sh.refundLine" : "sh.refundApproved", { year: r.year, refund: money(r.refund), interest: money(r.interest) }))))] : []));
  });
  main.replaceChildren(el("h1", {}, t("sh.mine")), el("p", { class: "intro" }, t("sh.vote")), ...(sections.length ? sections : [el("p", {}, t("sh.noneMine"))]));
}

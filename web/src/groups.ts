// Savings groups (VSLA) and tontines in the browser, made for the secretary's phone after a
// meeting: the organisation's groups and tontines with forms to start them; a group's page
// with its funds, each member's position, and the next meeting entered member by member
// (present, shares, social fund, fine, repayment, loan, grant); the share-out and the next
// cycle; a tontine's page with its published draw, the next round (bids, missed
// contributions and who covered them) and everyone's position; and a member's own view
// (/me/groups). Amounts are typed in the group's unit and travel as integer minor units.
import { getJson, ProblemError, sendJson, type Organisation } from "./api";
import { barChart } from "./chart";
import { dataTable, labelledField, localError, sendingForm, today, translatedSelect, type El } from "./forms";
import { t } from "./i18n";
import { formatAmount, parseAmount, parseQuantity } from "./ledger";

interface Member { member_id: number; name: string; number: string }
interface Rules { share_value: number; shares_max_per_meeting: number; social_contribution: number; interest_bp: number; interest_every_meetings: number; opening_social_fund: number }
interface Line { member: number; amount?: number; shares?: number }
interface Meeting { number: number; held_on: string; present: number[]; shares: Line[]; social: number[]; fines: Line[]; repayments: Line[]; grants: Line[]; loans: Line[] }
interface Position {
  member_id: number; shares: number; savings: number; loan_balance: number; borrowed: number; repaid: number; interest_charged: number;
  fines: number; social_paid: number; grants: number; share_out: number;
}
interface GroupSummary { id: number; name: string; unit: string; decimals: number; cycle: number; members: number; meetings: number; last_meeting: string | null }
interface Group {
  id: number; name: string; unit: string; decimals: number;
  cycle: { number: number; started_on: string; rules: Rules; shared_out_on: string | null };
  members: Member[]; meetings: Meeting[]; next_meeting: number | null;
  ledger: { currency_id: number; members_account: number; loan_fund_account: number; social_fund_account: number };
  state: { loan_fund: number; social_fund: number; loans_outstanding: number; total_shares: number; shared_out: boolean; return_per_share_bp: number; members: Position[] };
}
interface TontineSummary { id: number; name: string; unit: string; decimals: number; contribution: number; members: number; rounds: number; order: string; period: string; started_on: string }
interface TontinePosition { member_id: number; paid_in: number; received: number; covered_for_others: number; owes_for_missed: number; pot_round: number | null; net: number }
interface Round {
  number: number; held_on: string; due_on: string; recipient: number; pot: number; received: number; discount: number;
  bids: { member: number; amount: number }[]; missed: { member: number; coverer: number | null }[];
}
interface Tontine extends Omit<TontineSummary, "members" | "rounds"> {
  seed: string; members: Member[]; rounds: Round[]; positions: TontinePosition[]; fund_covered: number; lottery_order: number[];
  next_round: { number: number | null; due_on: string | null; recipient: number | null };
}

const KINDS = ["present", "shares", "social", "fines", "repayments", "loans", "grants"] as const;

function moneyOf(unit: string, decimals: number): (v: number) => string {
  return (v) => `${formatAmount(v, decimals)} ${unit}`;
}
function backLink(el: El, href: string, text: string): HTMLElement {
  return el("p", {}, el("a", { href, "data-link": "" }, `← ${text}`));
}
function scroll(el: El, table: HTMLElement): HTMLElement {
  return el("div", { class: "table-scroll" }, table);
}
function figures(el: El, id: string, items: [string, string][]): HTMLElement {
  const dl = el("dl", { class: "figures", id });
  for (const [k, v] of items) dl.append(el("dt", {}, t(k)), el("dd", {}, v));
  return dl;
}
// Checkboxes of the organisation's members, for a group's or a tontine's list (in the
// register's order, which is a fixed tontine's order of the pot).
function memberChecks(el: El, id: string, members: { id: number; name: string; number: string | null }[]): { box: HTMLElement; chosen: () => number[] } {
  const boxes = members.map((m) => {
    const c = el("input", { type: "checkbox", value: String(m.id), id: `${id}-m-${m.id}` });
    return { c, row: el("div", { class: "check" }, c, el("label", { for: c.id }, m.number ? `${m.name} (${m.number})` : m.name)) };
  });
  const box = el("fieldset", { class: "member-list", id: `field-${id}-members` }, el("legend", {}, t("gr.field.members")), ...boxes.map((b) => b.row),
                 el("p", { class: "field-error", id: `error-${id}-members`, hidden: "" }));
  return { box, chosen: () => boxes.filter((b) => b.c.checked).map((b) => Number(b.c.value)) };
}

export async function groupsPage(main: HTMLElement, el: El, org: number, notice = ""): Promise<void> {
  const base = `/api/v1/organisations/${org}`;
  const [organisation, groups, tontines, members] = await Promise.all([
    getJson<Organisation>(base), getJson<{ items: GroupSummary[] }>(`${base}/savings-groups`), getJson<{ items: TontineSummary[] }>(`${base}/tontines`),
    getJson<{ items: { id: number; name: string; number: string | null }[] }>(`${base}/members?limit=200`)]);
  document.title = `${t("gr.title")} · ${organisation.name} · Solidum`;
  const groupList = groups.items.length
    ? dataTable(el, "savings-groups", ["gr.col.name", "gr.col.cycle", "gr.col.members", "gr.col.meetings", "gr.col.last"],
                groups.items.map((g) => [el("a", { href: `/organisations/${org}/savings-groups/${g.id}`, "data-link": "" }, g.name), String(g.cycle), String(g.members),
                                         String(g.meetings), g.last_meeting ?? ""]))
    : el("p", {}, t("gr.noGroups"));
  const tontineList = tontines.items.length
    ? dataTable(el, "tontines", ["gr.col.name", "gr.col.contribution", "gr.col.order", "gr.col.members", "gr.col.rounds"],
                tontines.items.map((x) => [el("a", { href: `/organisations/${org}/tontines/${x.id}`, "data-link": "" }, x.name),
                                           moneyOf(x.unit, x.decimals)(x.contribution), t(`gr.order.${x.order}`), String(x.members), `${x.rounds} / ${x.members}`]))
    : el("p", {}, t("gr.noTontines"));

  // A savings group.
  const f = (prefix: string) => (k: string, c: HTMLElement, hint = "") => labelledField(el, "gr.field.", k, c, hint, `${prefix}-${k}`);
  const g = { name: el("input", { type: "text", required: "", maxlength: "200" }), unit: el("input", { type: "text", required: "", maxlength: "20", value: "XOF" }),
              decimals: el("input", { type: "number", min: "0", max: "4", value: "0", required: "" }), started: el("input", { type: "date", required: "", value: today() }),
              share: el("input", { type: "text", inputmode: "decimal", required: "" }), max: el("input", { type: "number", min: "1", max: "100", value: "5", required: "" }),
              social: el("input", { type: "text", inputmode: "decimal", value: "0" }), interest: el("input", { type: "text", inputmode: "decimal", value: "10" }),
              every: el("input", { type: "number", min: "1", max: "52", value: "4", required: "" }) };
  const gm = memberChecks(el, "group", members.items);
  const gf = f("group");
  const names = (p: string[]) => (p[0] === "rules" ? `group-${p[1]}` : `group-${p[0]}`);
  const groupForm = sendingForm(el, "group", t("gr.createGroup"),
    [gf("name", g.name), gf("unit", g.unit), gf("decimals", g.decimals), gf("started_on", g.started), gf("share_value", g.share, t("gr.hint.shareValue")),
     gf("shares_max_per_meeting", g.max), gf("social_contribution", g.social, t("gr.hint.social")), gf("interest_bp", g.interest, t("gr.hint.interest")),
     gf("interest_every_meetings", g.every, t("gr.hint.every")), gm.box], t("gr.createGroupSubmit"), async () => {
      const d = Number(g.decimals.value);
      const share = parseAmount(g.share.value, d);
      if (share === null) throw localError("/rules/share_value", t("gr.error.amount"));
      const social = parseQuantity(g.social.value, d);
      if (social === null) throw localError("/rules/social_contribution", t("gr.error.amount"));
      const interest = parseQuantity(g.interest.value, 2);
      if (interest === null) throw localError("/rules/interest_bp", t("gr.error.percent"));
      const r = await sendJson<{ id: number }>("POST", `${base}/savings-groups`, {
        name: g.name.value, unit: g.unit.value, decimals: d, started_on: g.started.value, members: gm.chosen(),
        rules: { share_value: share, shares_max_per_meeting: Number(g.max.value), social_contribution: social, interest_bp: interest, interest_every_meetings: Number(g.every.value) } });
      location.assign(`/organisations/${org}/savings-groups/${r.body.id}`);
    }, "gr.error.", names);

  // A tontine.
  const x = { name: el("input", { type: "text", required: "", maxlength: "200" }), unit: el("input", { type: "text", required: "", maxlength: "20", value: "XOF" }),
              decimals: el("input", { type: "number", min: "0", max: "4", value: "0", required: "" }), contribution: el("input", { type: "text", inputmode: "decimal", required: "" }),
              order: translatedSelect(el, ["fixed", "lottery", "bidding"], "gr.order."), period: translatedSelect(el, ["monthly", "weekly"], "gr.period."),
              started: el("input", { type: "date", required: "", value: today() }), seed: el("input", { type: "text", maxlength: "200", autocomplete: "off" }) };
  const tm = memberChecks(el, "tontine", members.items);
  const tf = f("tontine");
  const tontineForm = sendingForm(el, "tontine", t("gr.createTontine"),
    [tf("name", x.name), tf("unit", x.unit), tf("decimals", x.decimals), tf("contribution", x.contribution), tf("order", x.order, t("gr.hint.order")),
     tf("period", x.period), tf("started_on", x.started, t("gr.hint.firstRound")), tf("seed", x.seed, t("gr.hint.seed")), tm.box], t("gr.createTontineSubmit"), async () => {
      const d = Number(x.decimals.value);
      const contribution = parseAmount(x.contribution.value, d);
      if (contribution === null) throw localError("/contribution", t("gr.error.amount"));
      const body: Record<string, unknown> = { name: x.name.value, unit: x.unit.value, decimals: d, contribution, order: x.order.value, period: x.period.value,
                                              started_on: x.started.value, members: tm.chosen() };
      if (x.seed.value.trim()) body.seed = x.seed.value.trim();
      const r = await sendJson<{ id: number }>("POST", `${base}/tontines`, body);
      location.assign(`/organisations/${org}/tontines/${r.body.id}`);
    }, "gr.error.");
  main.replaceChildren(backLink(el, `/organisations/${org}`, organisation.name), el("h1", {}, t("gr.title")), el("p", { class: "intro" }, t("gr.intro")),
    el("p", { role: "status" }, notice), el("h2", {}, t("gr.groups")), groupList, el("h2", {}, t("gr.tontines")), tontineList, groupForm, tontineForm);
}

export async function savingsGroupPage(main: HTMLElement, el: El, org: number, gid: number, notice = ""): Promise<void> {
  const path = `/api/v1/organisations/${org}/savings-groups/${gid}`;
  const g = await getJson<Group>(path);
  document.title = `${g.name} · Solidum`;
  const reload = (message = "") => savingsGroupPage(main, el, org, gid, message);
  const money = moneyOf(g.unit, g.decimals);
  const nameOf = new Map(g.members.map((m) => [m.member_id, m.name]));
  const st = g.state;
  const figs = figures(el, "group-figures", [
    ["gr.figure.cycle", `${g.cycle.number} (${g.cycle.started_on}${g.cycle.shared_out_on ? ` – ${g.cycle.shared_out_on}` : ""})`],
    ["gr.figure.meetings", String(g.meetings.length)], ["gr.figure.shares", String(st.total_shares)], ["gr.figure.loanFund", money(st.loan_fund)],
    ["gr.figure.loans", money(st.loans_outstanding)], ["gr.figure.socialFund", money(st.social_fund)],
    ["gr.figure.rules", t("gr.rulesLine", { share: money(g.cycle.rules.share_value), max: g.cycle.rules.shares_max_per_meeting,
                                              interest: (g.cycle.rules.interest_bp / 100).toLocaleString(), every: g.cycle.rules.interest_every_meetings })]]);
  const positions = dataTable(el, "group-positions",
    ["gr.col.member", "gr.col.shares", "gr.col.savings", "gr.col.loan", "gr.col.fines", "gr.col.social", ...(st.shared_out ? ["gr.col.shareOut"] : [])],
    st.members.map((p) => [nameOf.get(p.member_id) ?? String(p.member_id), String(p.shares), money(p.savings), money(p.loan_balance), money(p.fines), money(p.social_paid),
                           ...(st.shared_out ? [money(p.share_out)] : [])]));
  const chart = st.total_shares ? barChart(t("gr.chart.savings"), st.members.map((p) => ({ label: nameOf.get(p.member_id) ?? "", value: p.savings })), true, 20, money) : el("span");
  const sum = (lines: Line[], k: "amount" | "shares") => lines.reduce((s, l) => s + (l[k] ?? 0), 0);
  const history = g.meetings.length
    ? dataTable(el, "meetings", ["gr.col.number", "gr.col.date", "gr.col.present", "gr.col.sharesBought", "gr.col.repaid", "gr.col.lent"],
                g.meetings.map((m) => [String(m.number), m.held_on, `${m.present.length} / ${g.members.length}`, String(sum(m.shares, "shares")),
                                       money(sum(m.repayments, "amount")), money(sum(m.loans, "amount"))]))
    : el("p", {}, t("gr.noMeetings"));

  const forms: HTMLElement[] = [];
  if (g.next_meeting !== null) forms.push(meetingForm(el, path, g, reload));
  if (!g.cycle.shared_out_on && g.meetings.length) {
    const on = el("input", { type: "date", required: "", value: g.meetings[g.meetings.length - 1].held_on });
    forms.push(sendingForm(el, "shareout", t("gr.shareOut"), [el("p", {}, t("gr.shareOutIntro")), labelledField(el, "gr.field.", "on", on, "", "shareout-on")],
      t("gr.shareOutSubmit"), async () => {
        await sendJson("POST", `${path}/share-out`, { on: on.value });
        await reload(t("gr.sharedOut"));
      }, "gr.error."));
  }
  if (g.cycle.shared_out_on) {
    const on = el("input", { type: "date", required: "", value: today() });
    forms.push(sendingForm(el, "cycle", t("gr.nextCycle"), [el("p", {}, t("gr.nextCycleIntro")), labelledField(el, "gr.field.", "started_on", on, "", "cycle-started_on")],
      t("gr.nextCycleSubmit"), async () => {
        await sendJson("POST", `${path}/cycles`, { started_on: on.value });
        await reload(t("gr.cycleStarted"));
      }, "gr.error."));
  }
  main.replaceChildren(backLink(el, `/organisations/${org}/groups`, t("gr.title")), el("h1", {}, g.name), el("p", { role: "status", id: "group-notice" }, notice),
    figs, el("p", { class: "meta" }, el("a", { href: `/organisations/${org}/currencies/${g.ledger.currency_id}`, "data-link": "" }, t("gr.ledgerBook"))), ...forms, el("h2", {}, t("gr.positions")), scroll(el, positions), chart, el("h2", {}, t("gr.meetings")), scroll(el, history));
}

// The next meeting, member by member: a card each, so it fits a phone.
function meetingForm(el: El, path: string, g: Group, reload: (message?: string) => Promise<void>): HTMLElement {
  const held = el("input", { type: "date", required: "", value: today() });
  const position = new Map(g.state.members.map((p) => [p.member_id, p]));
  const money = moneyOf(g.unit, g.decimals);
  const cards = g.members.map((m) => {
    const p = position.get(m.member_id);
    const id = (k: string) => `mt-${m.member_id}-${k}`;
    const present = el("input", { type: "checkbox", checked: "" });
    const shares = el("select");
    for (let n = 0; n <= g.cycle.rules.shares_max_per_meeting; n++) shares.append(el("option", { value: String(n) }, String(n)));
    const social = el("input", { type: "checkbox" });
    if (g.cycle.rules.social_contribution > 0) social.setAttribute("checked", "");
    // An absent member usually pays nothing: unticking "present" unticks the contribution
    // (tick it again when someone brought it).
    present.addEventListener("change", () => { social.checked = present.checked && g.cycle.rules.social_contribution > 0; });
    const amount = () => el("input", { type: "text", inputmode: "decimal", autocomplete: "off" });
    const c = { present, shares, social, fines: amount(), repayments: amount(), loans: amount(), grants: amount() };
    const field = (k: (typeof KINDS)[number], hint = "") => labelledField(el, "gr.line.", k, c[k], hint, id(k));
    const owed = p && p.loan_balance > 0 ? t("gr.hint.owes", { amount: money(p.loan_balance) }) : "";
    const card = el("fieldset", { class: "member-card" }, el("legend", {}, m.name), field("present"), field("shares", t("gr.hint.shares", { value: money(g.cycle.rules.share_value) })),
      ...(g.cycle.rules.social_contribution > 0 ? [field("social", money(g.cycle.rules.social_contribution))] : []), field("repayments", owed), field("loans"),
      field("fines"), field("grants"));
    return { member: m.member_id, c, card };
  });
  let sent: Record<string, unknown> = {};
  // A refusal names a line ("/shares/1/member"): show it at that member's control.
  const names = (p: string[]) => {
    const list = sent[p[0]];
    if (!Array.isArray(list) || p.length < 2) return `meeting-${p[0]}`;
    const item = list[Number(p[1])] as number | Line | undefined;
    const member = typeof item === "number" ? item : item?.member;
    return `mt-${member}-${p[0]}`;
  };
  return sendingForm(el, "meeting", t("gr.meeting", { number: g.next_meeting ?? 0 }),
    [el("p", { class: "hint" }, t("gr.meetingIntro")), labelledField(el, "gr.field.", "held_on", held, "", "meeting-held_on"), ...cards.map((x) => x.card)],
    t("gr.meetingSubmit"), async () => {
      const body: Record<string, unknown> = { number: g.next_meeting, held_on: held.value, present: [], social: [], shares: [], fines: [], repayments: [], loans: [], grants: [] };
      for (const { member, c } of cards) {
        if (c.present.checked) (body.present as number[]).push(member);
        if (c.social.checked) (body.social as number[]).push(member);
        if (Number(c.shares.value) > 0) (body.shares as Line[]).push({ member, shares: Number(c.shares.value) });
        for (const k of ["fines", "repayments", "loans", "grants"] as const) {
          const text = c[k].value.trim();
          if (!text) continue;
          const v = parseAmount(text, g.decimals);
          if (v === null) {
            sent = { [k]: [{ member }] };
            throw localError(`/${k}/0/amount`, t("gr.error.amount"));
          }
          (body[k] as Line[]).push({ member, amount: v });
        }
      }
      sent = body;
      const r = await sendJson<{ replayed: boolean }>("POST", `${path}/meetings`, body);
      await reload(r.body.replayed ? t("gr.replayed") : t("gr.recorded", { number: g.next_meeting ?? 0 }));
    }, "gr.error.", names);
}

export async function tontinePage(main: HTMLElement, el: El, org: number, tid: number, notice = ""): Promise<void> {
  const path = `/api/v1/organisations/${org}/tontines/${tid}`;
  const x = await getJson<Tontine>(path);
  document.title = `${x.name} · Solidum`;
  const reload = (message = "") => tontinePage(main, el, org, tid, message);
  const money = moneyOf(x.unit, x.decimals);
  const nameOf = new Map(x.members.map((m) => [m.member_id, m.name]));
  const who = (id: number | null) => (id === null ? t("gr.groupFund") : nameOf.get(id) ?? String(id));
  const figs = figures(el, "tontine-figures", [
    ["gr.figure.contribution", `${money(x.contribution)} · ${t(`gr.period.${x.period}`)}`], ["gr.figure.pot", money(x.contribution * x.members.length)],
    ["gr.figure.order", t(`gr.order.${x.order}`)], ["gr.figure.rounds", `${x.rounds.length} / ${x.members.length}`], ["gr.figure.fundCovered", money(x.fund_covered)]]);
  const draw = x.seed
    ? el("section", { id: "draw" }, el("h2", {}, t("gr.draw")), el("p", {}, t("gr.drawIntro")), el("p", {}, t("gr.seed"), " ", el("code", {}, x.seed)),
         ...(x.lottery_order.length ? [el("ol", {}, ...x.lottery_order.map((id) => el("li", {}, who(id))))] : []))
    : el("span");
  const positionsTable = (list: TontinePosition[]) => dataTable(el, "tontine-positions",
    ["gr.col.member", "gr.col.paidIn", "gr.col.received", "gr.col.potRound", "gr.col.owes", "gr.col.covered", "gr.col.net"],
    list.map((p) => [who(p.member_id), money(p.paid_in), money(p.received), p.pot_round ? String(p.pot_round) : "", money(p.owes_for_missed),
                     money(p.covered_for_others), money(p.net)]));
  const positions = scroll(el, positionsTable(x.positions));
  // Each member's position at any day: the rounds held by then.
  const asOf = el("input", { type: "date", id: "positions-as_of", value: today() });
  const asOfNote = el("p", { role: "status", id: "positions-as-of-note" });
  const asOfForm = el("form", { class: "inline-form", id: "positions-as-of" }, el("label", { for: "positions-as_of" }, t("gr.positionsAsOf")), " ", asOf, " ",
    el("button", { type: "submit" }, t("gr.positionsShow")));
  asOfForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const then = await getJson<Tontine>(`${path}?as_of=${encodeURIComponent(asOf.value)}`);
      positions.replaceChildren(positionsTable(then.positions));
      asOfNote.textContent = t("gr.positionsAsOfNote", { date: asOf.value, rounds: String(then.rounds.length) });
    } catch (err) {
      if (!(err instanceof ProblemError)) throw err;
      asOfNote.textContent = err.message;
    }
  });
  const rounds = x.rounds.length
    ? dataTable(el, "rounds", ["gr.col.number", "gr.col.due", "gr.col.date", "gr.col.recipient", "gr.col.receivedPot", "gr.col.discount", "gr.col.missed"],
                x.rounds.map((r) => [String(r.number), r.due_on, r.held_on, who(r.recipient), money(r.received), money(r.discount),
                                     r.missed.map((m) => t("gr.missedLine", { member: who(m.member), coverer: who(m.coverer) })).join("; ")]))
    : el("p", {}, t("gr.noRounds"));
  const forms: HTMLElement[] = [];
  if (x.next_round.number !== null) {
    const held = el("input", { type: "date", required: "", value: x.next_round.due_on && x.next_round.due_on <= today() ? x.next_round.due_on : today() });
    const taken = new Set(x.positions.filter((p) => p.pot_round !== null).map((p) => p.member_id));
    const bidding = x.order === "bidding" && x.next_round.recipient === null;
    const cards = x.members.map((m) => {
      const id = (k: string) => `rd-${m.member_id}-${k}`;
      const missed = el("input", { type: "checkbox" });
      const coverer = el("select");
      coverer.append(el("option", { value: "" }, t("gr.groupFund")));
      for (const o of x.members) if (o.member_id !== m.member_id) coverer.append(el("option", { value: String(o.member_id) }, o.name));
      const bid = el("input", { type: "text", inputmode: "decimal", autocomplete: "off" });
      const canBid = bidding && !taken.has(m.member_id);
      const card = el("fieldset", { class: "member-card" }, el("legend", {}, m.name),
        ...(canBid ? [labelledField(el, "gr.line.", "bids", bid, "", id("bids"))] : []),
        labelledField(el, "gr.line.", "missed", missed, "", id("missed")), labelledField(el, "gr.line.", "coverer", coverer, "", id("coverer")));
      return { member: m.member_id, missed, coverer, bid, canBid, card };
    });
    let sent: Record<string, unknown> = {};
    const names = (p: string[]) => {
      const list = sent[p[0]];
      if (!Array.isArray(list) || p.length < 2) return `round-${p[0]}`;
      const item = list[Number(p[1])] as { member: number } | undefined;
      return `rd-${item?.member}-${p[2] === "coverer" ? "coverer" : p[0]}`;
    };
    const title = t("gr.round", { number: x.next_round.number, due: x.next_round.due_on ?? "" });
    const intro = x.next_round.recipient !== null ? t("gr.takesPot", { member: who(x.next_round.recipient) }) : t("gr.bidIntro");
    forms.push(sendingForm(el, "round", title, [el("p", { id: "round-recipient" }, intro), labelledField(el, "gr.field.", "held_on", held, "", "round-held_on"), ...cards.map((c) => c.card)],
      t("gr.roundSubmit"), async () => {
        const body: { number: number | null; held_on: string; bids: { member: number; amount: number }[]; missed: { member: number; coverer?: number }[] } =
          { number: x.next_round.number, held_on: held.value, bids: [], missed: [] };
        for (const c of cards) {
          if (c.canBid && c.bid.value.trim()) {
            const v = parseAmount(c.bid.value, x.decimals);
            if (v === null) {
              sent = { bids: [{ member: c.member }] };
              throw localError("/bids/0/amount", t("gr.error.amount"));
            }
            body.bids.push({ member: c.member, amount: v });
          }
          if (c.missed.checked) body.missed.push(c.coverer.value ? { member: c.member, coverer: Number(c.coverer.value) } : { member: c.member });
        }
        sent = body as unknown as Record<string, unknown>;
        const r = await sendJson<{ replayed: boolean }>("POST", `${path}/rounds`, body);
        await reload(r.body.replayed ? t("gr.replayed") : t("gr.roundRecorded", { number: x.next_round.number ?? 0 }));
      }, "gr.error.", names));
  }
  main.replaceChildren(backLink(el, `/organisations/${org}/groups`, t("gr.title")), el("h1", {}, x.name), el("p", { role: "status", id: "tontine-notice" }, notice),
    figs, ...forms, el("h2", {}, t("gr.positions")), asOfForm, asOfNote, positions, el("h2", {}, t("gr.rounds")), scroll(el, rounds), draw);
}

export async function myGroupsPage(main: HTMLElement, el: El): Promise<void> {
  interface OwnGroup extends GroupSummary { share_value: number; position: Position }
  interface OwnTontine extends TontineSummary { position: TontinePosition }
  interface OwnLoan {
    loan_id: number; fund: string; group: string; unit: string; decimals: number; status: string; part: number; due_now: number; paid: number;
    arrears: number; principal_outstanding: number; paid_for_others: number; covered_by_others: number;
  }
  const mine = await getJson<{ savings_groups: OwnGroup[]; tontines: OwnTontine[]; group_loans: OwnLoan[] }>("/api/v1/me/groups");
  document.title = `${t("gr.mine")} · Solidum`;
  const sections: HTMLElement[] = [];
  for (const g of mine.savings_groups) {
    const money = moneyOf(g.unit, g.decimals);
    const p = g.position;
    sections.push(el("section", { class: "own-group" }, el("h2", {}, g.name),
      el("p", {}, t("gr.mySavings", { shares: p.shares, savings: money(p.savings), cycle: g.cycle })),
      ...(p.loan_balance > 0 ? [el("p", {}, t("gr.myLoan", { amount: money(p.loan_balance) }))] : []),
      ...(p.share_out > 0 ? [el("p", {}, t("gr.myShareOut", { amount: money(p.share_out) }))] : [])));
  }
  for (const x of mine.tontines) {
    const money = moneyOf(x.unit, x.decimals);
    const p = x.position;
    sections.push(el("section", { class: "own-tontine" }, el("h2", {}, x.name),
      el("p", {}, t("gr.myTontine", { paid: money(p.paid_in), received: money(p.received) })),
      el("p", {}, p.pot_round ? t("gr.myPot", { round: p.pot_round }) : t("gr.myPotWaiting")),
      ...(p.owes_for_missed > 0 ? [el("p", {}, t("gr.myOwes", { amount: money(p.owes_for_missed) }))] : [])));
  }
  for (const l of mine.group_loans) {
    const money = moneyOf(l.unit, l.decimals);
    sections.push(el("section", { class: "own-group-loan" }, el("h2", {}, t("gr.myGroupLoan", { group: l.group, fund: l.fund })),
      el("p", {}, t("gr.myLoanPart", { part: money(l.part), paid: money(l.paid), outstanding: money(l.principal_outstanding) })),
      el("p", {}, l.arrears > 0 ? t("gr.myLoanArrears", { amount: money(l.arrears) }) : t("gr.myLoanCurrent")),
      ...(l.covered_by_others > 0 ? [el("p", {}, t("gr.myCovered", { amount: money(l.covered_by_others) }))] : []),
      ...(l.paid_for_others > 0 ? [el("p", {}, t("gr.myPaidForOthers", { amount: money(l.paid_for_others) }))] : [])));
  }
  main.replaceChildren(el("h1", {}, t("gr.mine")), ...(sections.length ? sections : [el("p", {}, t("gr.noneMine"))]));
}

// A solidarity group's loan on its loan page: shared among the group's members, then the
// collection sheet of each meeting, member by member (what each owes now, their arrears,
// who covered whom), entered on a phone at the meeting. Amounts are typed in the fund's
// unit and travel as integer minor units.
import { ApiError, getJson, sendJson } from "./api";
import { dataTable, labelledField, localError, sendingForm, today, type El } from "./forms";
import { t } from "./i18n";
import { formatAmount, parseAmount } from "./ledger";

interface Unit { unit: string; decimals: number }
interface Standing {
  member_id: number; name: string; number: string; part: number; due_now: number; paid: number; arrears: number; days_in_arrears: number;
  principal_outstanding: number; paid_for_others: number; covered_by_others: number;
}
interface Sheet {
  as_of: string; status: string; members: Standing[]; collected: number; arrears: number; members_in_arrears: number; due_now: number;
  loan_arrears: number; next_meeting: number; meetings: { number: number; held_on: string; total: number }[];
}

// Minor units as an editable amount, without grouping: 1250, 2 -> "12.50".
function plain(minor: number, decimals: number): string {
  if (decimals === 0) return String(minor);
  const digits = String(minor).padStart(decimals + 1, "0");
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}
// A field labelled with a name rather than a message (a member's), its error line where the
// server's refusals show (ids field-ID and error-ID).
function namedField(el: El, label: string, control: HTMLElement, id: string): HTMLElement {
  control.id = `field-${id}`;
  return el("div", { class: "field" }, el("label", { for: control.id }, label), control, el("p", { class: "field-error", id: `error-${id}`, hidden: "" }));
}

// The group's section of a loan page; nothing when the borrower's register cannot be read.
export async function groupLoanSection(el: El, path: string, borrower: number, fund: Unit, principal: number, active: boolean,
                                       reload: (message?: string) => Promise<void>): Promise<HTMLElement[]> {
  const money = (v: number) => `${formatAmount(v, fund.decimals)} ${fund.unit}`;
  let sheet: Sheet | null = null;
  try {
    sheet = await getJson<Sheet>(`${path}/group`);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 404) throw e;
  }
  if (!sheet) {
    if (!active) return [];
    let members: { id: number; name: string; number: string | null }[];
    try {
      members = (await getJson<{ items: { id: number; name: string; number: string | null }[] }>(`/api/v1/organisations/${borrower}/members?limit=60`)).items;
    } catch {
      return [];  // the borrower's register is not ours to read: its staff share the loan
    }
    if (!members.length) return [];
    const inputs = members.map((m) => ({ m, input: el("input", { type: "text", inputmode: "decimal", autocomplete: "off" }) }));
    let sent: number[] = [];
    return [sendingForm(el, "group-parts", t("gl.share"),
      [el("p", { class: "hint" }, t("gl.shareIntro", { amount: money(principal) })),
       ...inputs.map(({ m, input }) => namedField(el, m.number ? `${m.name} (${m.number})` : m.name, input, `gp-${m.id}`))],
      t("gl.shareSubmit"), async () => {
        const parts: { member_id: number; amount: number }[] = [];
        for (const { m, input } of inputs) {
          if (!input.value.trim()) continue;
          const v = parseAmount(input.value, fund.decimals);
          if (v === null) {
            sent = [m.id];
            throw localError("/members/0/amount", t("gl.error.amount"));
          }
          parts.push({ member_id: m.id, amount: v });
        }
        sent = parts.map((p) => p.member_id);
        await sendJson("POST", `${path}/group`, { members: parts });
        await reload(t("gl.shared"));
      }, "gl.error.", (p) => (p.length > 1 ? `gp-${sent[Number(p[1])]}` : `group-parts-${p[0]}`))];
  }
  const s = sheet;
  const figures = el("dl", { class: "figures", id: "group-loan-figures" });
  for (const [k, v] of [["dueNow", money(s.due_now)], ["collected", money(s.collected)], ["arrears", money(s.arrears)],
                        ["inArrears", `${s.members_in_arrears} / ${s.members.length}`]] as [string, string][]) {
    figures.append(el("dt", {}, t(`gl.figure.${k}`)), el("dd", {}, v));
  }
  const table = el("div", { class: "table-scroll" }, dataTable(el, "collection-sheet",
    ["gl.col.member", "gl.col.part", "gl.col.dueNow", "gl.col.paid", "gl.col.arrears", "gl.col.daysLate", "gl.col.paidForOthers", "gl.col.coveredByOthers"],
    s.members.map((m) => [m.name, money(m.part), money(m.due_now), money(m.paid), money(m.arrears), String(m.days_in_arrears),
                          money(m.paid_for_others), money(m.covered_by_others)])));
  const out: HTMLElement[] = [el("h2", {}, t("gl.title")), el("p", { class: "intro" }, t("gl.intro")), figures, table];
  if (active && s.status === "active") out.push(meetingForm(el, path, s, fund, reload));
  return out;
}

function meetingForm(el: El, path: string, s: Sheet, fund: Unit, reload: (message?: string) => Promise<void>): HTMLElement {
  const held = el("input", { type: "date", required: "", value: today() });
  const cards = s.members.map((m) => {
    const amount = el("input", { type: "text", inputmode: "decimal", autocomplete: "off", value: m.due_now > 0 ? plain(m.due_now, fund.decimals) : "" });
    const by = el("select");
    by.append(el("option", { value: "" }, t("gl.self")));
    for (const o of s.members) if (o.member_id !== m.member_id) by.append(el("option", { value: String(o.member_id) }, o.name));
    const card = el("fieldset", { class: "member-card" }, el("legend", {}, m.name),
      labelledField(el, "gl.field.", "amount", amount, t("gl.hint.due", { amount: `${formatAmount(m.due_now, fund.decimals)} ${fund.unit}` }), `gm-${m.member_id}-amount`),
      labelledField(el, "gl.field.", "paid_by", by, "", `gm-${m.member_id}-paid_by`));
    return { member: m.member_id, amount, by, card };
  });
  let sent: number[] = [];
  return sendingForm(el, "group-meeting", t("gl.meeting", { number: s.next_meeting }),
    [labelledField(el, "gl.field.", "held_on", held, "", "group-meeting-held_on"), ...cards.map((c) => c.card)], t("gl.meetingSubmit"), async () => {
      const lines: { member: number; amount: number; paid_by?: number }[] = [];
      for (const c of cards) {
        if (!c.amount.value.trim()) continue;
        const v = parseAmount(c.amount.value, fund.decimals);
        if (v === null) {
          sent = [c.member];
          throw localError("/lines/0/amount", t("gl.error.amount"));
        }
        lines.push(c.by.value ? { member: c.member, amount: v, paid_by: Number(c.by.value) } : { member: c.member, amount: v });
      }
      sent = lines.map((l) => l.member);
      const r = await sendJson<{ replayed: boolean }>("POST", `${path}/group/meetings`, { number: s.next_meeting, held_on: held.value, lines });
      await reload(r.body.replayed ? t("gl.replayed") : t("gl.recorded", { number: s.next_meeting }));
    }, "gl.error.", (p) => (p[0] === "lines" && p.length > 2 ? `gm-${sent[Number(p[1])]}-${p[2]}` : `group-meeting-${p[0]}`));
}

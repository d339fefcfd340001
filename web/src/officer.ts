// The returning officer's pages: an organisation's ballots with their steps (open, close,
// publish), and a form to set up a motion or an election by college.
import { getJson, ProblemError, sendJson } from "./api";
import type { Ballot } from "./ballots";
import { labelledField, showFieldErrors, translatedSelect, type El } from "./forms";
import { lang, t } from "./i18n";

type Go = (path: string) => void;
interface OfficerBallot extends Ballot { version: number; voted: number }

const NEXT: Record<string, string | undefined> = { draft: "open", open: "close", closed: "publish" };

function when(iso: string): string {
  return new Intl.DateTimeFormat(lang(), { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

export async function officerBallotsPage(main: HTMLElement, el: El, go: Go, org: number): Promise<void> {
  document.title = `${t("officer.title")} · Solidum`;
  const { items } = await getJson<{ items: OfficerBallot[] }>(`/api/v1/organisations/${org}/ballots`);
  const status = el("p", { role: "status" });
  const table = el("table", { class: "members" }, el("caption", { class: "sr" }, t("officer.title")),
    el("thead", {}, el("tr", {}, ...["officer.ballot", "officer.kind", "officer.state", "officer.window", "officer.turnout", "officer.action"].map((k) => el("th", { scope: "col" }, t(k))))));
  const body = el("tbody");
  for (const b of items) {
    const next = NEXT[b.state];
    const cell = el("td");
    if (next) {
      const button = el("button", { type: "button" }, t(`officer.do.${next}`));
      button.addEventListener("click", async () => {
        if (!confirm(t(`officer.confirm.${next}`, { title: b.title }))) return;
        button.disabled = true;
        try {
          await sendJson("POST", `/api/v1/organisations/${org}/ballots/${b.id}/${next}`, undefined, { "If-Match": `"v${b.version}"` });
          await officerBallotsPage(main, el, go, org);
          (main.querySelector("[role=status]") as HTMLElement).textContent = t(`officer.done.${next}`, { title: b.title });
        } catch (err) {
          button.disabled = false;
          status.textContent = err instanceof Error ? err.message : String(err);
        }
      });
      cell.append(button);
    }
    if (b.state !== "draft") cell.append(" ", el("a", { href: `/ballots/${b.id}`, "data-link": "" }, t("officer.see")));
    body.append(el("tr", {},
      el("td", {}, b.title), el("td", {}, t(`ballot.kind.${b.kind}`)), el("td", {}, t(`ballot.state.${b.state}`)),
      el("td", {}, `${when(b.opens_at)} – ${when(b.closes_at)}`),
      el("td", {}, b.state === "draft" ? "" : t("officer.voted", { voted: String(b.voted), entitled: String(b.entitled) })), cell));
  }
  table.append(body);
  main.replaceChildren(
    el("h1", {}, t("officer.title")),
    el("p", {}, el("a", { href: `/organisations/${org}/ballots/new`, "data-link": "", class: "button" }, t("officer.new"))),
    status,
    items.length ? el("div", { class: "table-scroll" }, table) : el("p", {}, t("officer.none")),
  );
}

// A datetime-local value (the officer's own time zone) as UTC ISO, to the second.
function utc(local: string): string {
  return local ? new Date(local).toISOString().replace(/\.\d+Z$/, "Z") : "";
}

export async function newBallotPage(main: HTMLElement, el: El, go: Go, org: number): Promise<void> {
  document.title = `${t("officer.new")} · Solidum`;
  const classes = (await getJson<{ items: { code: string; name: string }[] }>(`/api/v1/organisations/${org}/member-classes`)).items;
  const form = el("form", { class: "edit", novalidate: "" });
  const field = (name: string, control: HTMLElement, hint = "") => labelledField(el, "officer.field.", name, control, hint);
  const select = (options: string[], prefix: string) => translatedSelect(el, options, prefix);
  const kind = select(["election", "motion"], "ballot.kind.");
  const title = el("input", { required: "" });
  const description = el("textarea", { rows: "3" });
  const opens = el("input", { type: "datetime-local", required: "" });
  const closes = el("input", { type: "datetime-local", required: "" });
  const threshold = select(["simple", "two_thirds", "three_quarters"], "rule.");
  const base = select(["votes_cast", "members"], "rule.base.");
  const abstentions = select(["excluded", "against"], "rule.abstentions.");
  const weighted = el("input", { type: "checkbox" });
  const method = select(["scottish", "meek", "wigm", "irv", "plurality", "block", "approval"], "officer.method.");
  const motionBox = el("fieldset", {}, el("legend", {}, t("officer.motionRules")), field("threshold", threshold), field("majority_base", base),
                       field("abstentions", abstentions), field("weighted", weighted));
  const contestsBox = el("div");
  const addContest = () => {
    const i = contestsBox.children.length;
    const college = el("select", { "data-role": "class" }, el("option", { value: "" }, t("outcome.allMembers")));
    for (const c of classes) college.append(el("option", { value: c.code }, c.name));
    const seats = el("input", { type: "number", min: "1", value: "1", "data-role": "seats" });
    const candidates = el("textarea", { rows: "5", "data-role": "candidates" });
    const balance = el("textarea", { rows: "2", "data-role": "balance" });
    const f = (name: string, control: HTMLElement, hint = "") => {
      const box = labelledField(el, "officer.field.", name, control, hint);
      control.id = `field-contests-${i}-${name}`;
      box.querySelector("label")!.htmlFor = control.id;
      box.querySelector(".field-error")!.id = `error-contests-${i}-${name}`;
      return box;
    };
    contestsBox.append(el("fieldset", { class: "contest" }, el("legend", {}, t("officer.contest", { n: String(i + 1) })),
      f("class", college), f("seats", seats), f("candidates", candidates, t("officer.candidatesHint")),
      f("balance", balance, t("officer.balanceHint"))));
  };
  addContest();
  const more = el("button", { type: "button", class: "link" }, t("officer.addContest"));
  more.addEventListener("click", addContest);
  const electionBox = el("fieldset", {}, el("legend", {}, t("officer.electionRules")), field("method", method), contestsBox, more);
  const showKind = () => {
    motionBox.hidden = kind.value !== "motion";
    electionBox.hidden = kind.value !== "election";
  };
  kind.addEventListener("change", showKind);
  showKind();
  const message = el("p", { role: "alert", class: "error" });
  form.append(field("kind", kind), field("title", title), field("description", description), field("opens_at", opens), field("closes_at", closes),
              motionBox, electionBox, el("button", { type: "submit" }, t("officer.create")), message);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    for (const p of form.querySelectorAll<HTMLElement>(".field-error")) p.hidden = true;
    for (const c of form.querySelectorAll("[aria-invalid]")) c.removeAttribute("aria-invalid");
    const body: Record<string, unknown> = { kind: kind.value, title: title.value, description: description.value,
                                            opens_at: utc(opens.value), closes_at: utc(closes.value) };
    if (kind.value === "motion") {
      Object.assign(body, { threshold: threshold.value, majority_base: base.value, abstentions: abstentions.value, weighted: weighted.checked });
    } else {
      body.method = method.value;
      body.contests = [...contestsBox.querySelectorAll("fieldset.contest")].map((box) => {
        const v = (role: string) => (box.querySelector(`[data-role=${role}]`) as HTMLInputElement).value;
        return {
          class: v("class") || null,
          seats: Number(v("seats")),
          candidates: v("candidates").split("\n").map((l) => l.trim()).filter(Boolean).map((l) => {
            const [name, affiliation = "", group = ""] = l.split("|").map((x) => x.trim());
            return { name, affiliation, group };
          }),
          balance: v("balance").split("\n").map((l) => l.trim()).filter(Boolean).map((l) => {
            const [group, n] = l.split(/\s+/);
            return { group, seats_min: Number(n) };
          }),
        };
      });
    }
    try {
      await sendJson("POST", `/api/v1/organisations/${org}/ballots`, body);
      go(`/organisations/${org}/ballots`);
    } catch (err) {
      if (!(err instanceof ProblemError)) {
        message.textContent = String(err);
        return;
      }
      message.textContent = err.fields.length ? t("edit.invalid") : err.message;
      // "/contests/0/candidates/1/name" -> the contest's candidates box.
      showFieldErrors(form, err, (path) => (path[0] === "contests" ? `contests-${path[1]}-${path[2] ?? "candidates"}` : path[0]))?.focus();
    }
  });
  main.replaceChildren(el("h1", {}, t("officer.new")), form);
  title.focus();
}

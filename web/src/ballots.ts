// Ballots for members: the ballots I may vote in, a ballot's page (vote, my receipt,
// results with the count stage by stage as a table and a chart), in the four languages.
import { ApiError, currentSession, getJson, ProblemError, sendJson } from "./api";
import { barChart } from "./chart";
import { hasMessage, lang, t } from "./i18n";

interface Candidate { id: number; name: string; affiliation: string; group: string }
interface Contest { id: number; class: string | null; seats: number; candidates: Candidate[] }
interface StageJson {
  votes: Record<string, string>;
  non_transferable: string;
  quota: string | null;
  elected: string[];
  excluded: string[];
  surplus: string | null;
}
interface TallyJson { method: string; seats: number; valid_votes: number; quota: string | null; elected: string[]; stages: StageJson[] }
interface MotionResult { adopted: boolean; yes: number; no: number; abstain: number; entitled: number; share_ppm: number }
interface ElectionResult { contests: { contest_id: number; class: string | null; seats: number; papers: number; tally: TallyJson }[] }
export interface Ballot {
  id: number;
  kind: "motion" | "election";
  title: string;
  description: string;
  state: "draft" | "open" | "closed" | "published";
  opens_at: string;
  closes_at: string;
  threshold?: "simple" | "two_thirds" | "three_quarters";
  majority_base?: "votes_cast" | "members";
  abstentions?: "excluded" | "against";
  weighted?: boolean;
  method?: string;
  contests?: Contest[];
  entitled: number;
  result: MotionResult | ElectionResult | null;
}
interface MyBallot extends Ballot { organisation_name: string; you_voted: boolean; your_contest: number | null }

type El = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Record<string, string>, ...children: (Node | string)[]) => HTMLElementTagNameMap[K];

function when(iso: string): string {
  return new Intl.DateTimeFormat(lang(), { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

function windowText(b: Ballot): string {
  return t("ballot.window", { opens: when(b.opens_at), closes: when(b.closes_at) });
}

// The state as a member reads it: not yet open, open, closed (counting done), results.
function stateText(b: Ballot): string {
  const now = Date.now();
  if (b.state === "open" && now < Date.parse(b.opens_at)) return t("ballot.state.soon");
  if (b.state === "open" && now >= Date.parse(b.closes_at)) return t("ballot.state.closed");
  return t(`ballot.state.${b.state}`);
}

export async function myBallotsPage(main: HTMLElement, el: El): Promise<void> {
  document.title = `${t("ballots.title")} · Solidum`;
  const h1 = el("h1", {}, t("ballots.title"));
  if (!currentSession()) {
    main.replaceChildren(h1, el("p", {}, el("a", { href: "/sign-in", "data-link": "" }, t("ballots.signIn"))));
    return;
  }
  const list = el("ul", { class: "ballots" });
  main.replaceChildren(h1, list);
  const { items } = await getJson<{ items: MyBallot[] }>("/api/v1/me/ballots");
  if (!items.length) {
    list.replaceWith(el("p", {}, t("ballots.none")));
    return;
  }
  for (const b of items) {
    const status = b.you_voted ? t("ballots.voted") : b.state === "open" ? t("ballots.notVoted") : "";
    list.append(
      el("li", {},
         el("a", { href: `/ballots/${b.id}`, "data-link": "" }, b.title),
         el("span", { class: "meta" }, ` · ${b.organisation_name} · ${t(`ballot.kind.${b.kind}`)} · ${stateText(b)}`),
         status ? el("span", { class: b.you_voted ? "badge done" : "badge" }, status) : "",
         el("p", { class: "hint" }, windowText(b))),
    );
  }
}

export async function ballotPage(main: HTMLElement, el: El, id: number): Promise<void> {
  const b = await getJson<Ballot>(`/api/v1/ballots/${id}`);
  document.title = `${b.title} · Solidum`;
  const parts: Node[] = [el("h1", {}, b.title), el("p", { class: "meta" }, `${t(`ballot.kind.${b.kind}`)} · ${stateText(b)} · ${windowText(b)}`)];
  if (b.description) parts.push(el("p", { class: "description" }, b.description));
  if (b.kind === "motion") parts.push(el("p", { class: "hint" }, ruleText(b)));
  main.replaceChildren(...parts);
  const now = Date.now();
  if (b.state === "open" && now >= Date.parse(b.opens_at) && now < Date.parse(b.closes_at)) {
    main.append(await voteSection(el, b));
  }
  if (b.state === "published" && b.result) main.append(resultsSection(el, b));
  main.append(receiptSection(el, b));
}

function ruleText(b: Ballot): string {
  const parts = [t(`rule.${b.threshold}`), t(`rule.base.${b.majority_base}`)];
  if (b.majority_base === "votes_cast") parts.push(t(`rule.abstentions.${b.abstentions}`));
  if (b.weighted) parts.push(t("rule.weighted"));
  return `${t("rule.needs")} ${parts.join("; ")}.`;
}

async function voteSection(el: El, b: Ballot): Promise<HTMLElement> {
  const box = el("section", { class: "vote", "aria-labelledby": "vote-title" }, el("h2", { id: "vote-title" }, t("vote.title")));
  if (!currentSession()) {
    box.append(el("p", {}, el("a", { href: "/sign-in", "data-link": "" }, t("vote.signIn"))));
    return box;
  }
  const mine = (await getJson<{ items: MyBallot[] }>("/api/v1/me/ballots")).items.find((x) => x.id === b.id);
  if (!mine) {
    box.append(el("p", {}, t("vote.notEligible")));
    return box;
  }
  if (mine.you_voted) {
    box.append(el("p", { class: "badge done" }, t("ballots.voted")));
    return box;
  }
  const form = el("form", { novalidate: "" });
  const status = el("p", { role: "alert", class: "error" });
  let read: () => { choice?: string; ranking?: number[] } | string;
  if (b.kind === "motion") {
    const set = el("fieldset", {}, el("legend", {}, t("vote.yourChoice")));
    for (const c of ["yes", "no", "abstain"]) {
      const input = el("input", { type: "radio", name: "choice", value: c, id: `choice-${c}` });
      set.append(el("div", { class: "choice" }, input, el("label", { for: input.id }, t(`vote.${c}`))));
    }
    form.append(set);
    read = () => {
      const c = form.querySelector<HTMLInputElement>("input[name=choice]:checked");
      return c ? { choice: c.value } : t("vote.chooseOne");
    };
  } else {
    const contest = b.contests!.find((k) => k.id === mine.your_contest)!;
    const method = b.method ?? "scottish";
    const single = method === "plurality";
    const ticks = method === "approval" || method === "block";
    const set = el("fieldset", {}, el("legend", {},
      single ? t("vote.pickOne") : ticks ? t(method === "block" ? "vote.pickUpTo" : "vote.pickAny", { n: String(contest.seats) }) : t("vote.rank")));
    for (const c of contest.candidates) {
      const label = c.affiliation ? `${c.name} (${c.affiliation})` : c.name;
      const id = `candidate-${c.id}`;
      const input = single ? el("input", { type: "radio", name: "candidate", value: String(c.id), id })
                  : ticks ? el("input", { type: "checkbox", name: "candidate", value: String(c.id), id })
                  : el("input", { type: "number", min: "1", max: String(contest.candidates.length), inputmode: "numeric", id, "data-candidate": String(c.id), class: "rank" });
      set.append(el("div", { class: "choice" }, ticks || single ? input : el("span"), el("label", { for: id }, ticks || single ? label : t("vote.preferenceFor", { name: label })), ticks || single ? "" : input));
    }
    form.append(set, el("p", { class: "hint" }, t(`method.${method}`, { seats: String(contest.seats) })));
    read = () => {
      if (single || ticks) {
        const ids = [...form.querySelectorAll<HTMLInputElement>("input[name=candidate]:checked")].map((i) => Number(i.value));
        if (!ids.length) return t("vote.chooseOne");
        if (method === "block" && ids.length > contest.seats) return t("vote.tooMany", { n: String(contest.seats) });
        return { ranking: ids };
      }
      const ranked = [...form.querySelectorAll<HTMLInputElement>("input.rank")]
        .filter((i) => i.value.trim() !== "")
        .map((i) => ({ id: Number(i.dataset.candidate), n: Number(i.value) }));
      if (!ranked.length) return t("vote.rankOne");
      const ns = ranked.map((r) => r.n);
      if (ns.some((n) => !Number.isInteger(n) || n < 1) || new Set(ns).size !== ns.length) return t("vote.rankDistinct");
      return { ranking: ranked.sort((x, y) => x.n - y.n).map((r) => r.id) };
    };
  }
  const submit = el("button", { type: "submit" }, t("vote.cast"));
  form.append(submit, status);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const vote = read();
    if (typeof vote === "string") {
      status.textContent = vote;
      return;
    }
    submit.disabled = true;
    try {
      const { body } = await sendJson<{ receipt: string }>("POST", `/api/v1/ballots/${b.id}/votes`, vote);
      box.replaceChildren(
        el("h2", { id: "vote-title" }, t("vote.done")),
        el("p", {}, t("vote.receipt")),
        el("p", { class: "receipt" }, el("code", {}, body.receipt)),
        el("p", { class: "hint" }, t("vote.keepReceipt")),
      );
      box.querySelector("code")?.parentElement?.setAttribute("tabindex", "-1");
      (box.querySelector(".receipt") as HTMLElement | null)?.focus();
    } catch (err) {
      submit.disabled = false;
      const key = err instanceof ProblemError ? `vote.error.${err.code}` : "";
      status.textContent = key && hasMessage(key) ? t(key) : err instanceof Error ? err.message : String(err);
    }
  });
  box.append(form);
  return box;
}

function resultsSection(el: El, b: Ballot): HTMLElement {
  const box = el("section", { class: "results", "aria-labelledby": "results-title" }, el("h2", { id: "results-title" }, t("outcome.title")));
  if (b.kind === "motion") {
    const r = b.result as MotionResult;
    box.append(
      el("p", { class: r.adopted ? "outcome adopted" : "outcome rejected" }, r.adopted ? t("outcome.adopted") : t("outcome.rejected")),
      el("p", {}, t("outcome.counts", { yes: String(r.yes), no: String(r.no), abstain: String(r.abstain), entitled: String(r.entitled) })),
      el("p", { class: "hint" }, `${ruleText(b)} ${t("outcome.share", { share: (r.share_ppm / 10000).toLocaleString(lang(), { maximumFractionDigits: 2 }) })}`),
      barChart(t("outcome.title"), [
        { label: t("vote.yes"), value: r.yes },
        { label: t("vote.no"), value: r.no },
        { label: t("vote.abstain"), value: r.abstain },
      ], false),
    );
    return box;
  }
  const r = b.result as ElectionResult;
  for (const c of r.contests) {
    const tally = c.tally;
    const section = el("section", { class: "contest" });
    section.append(
      el("h3", {}, c.class ? t("outcome.college", { college: c.class }) : t("outcome.allMembers")),
      el("p", {}, t("outcome.elected", { names: tally.elected.join(", ") })),
      el("p", { class: "hint" }, t("outcome.papers", { papers: String(c.papers), seats: String(c.seats) }) +
         (tally.quota ? ` ${t("outcome.quota", { quota: tally.quota })}` : "")),
    );
    // The chart of one stage at a time, chosen with a keyboard-friendly select.
    const names = Object.keys(tally.stages[0]?.votes ?? {});
    const chart = el("div", { class: "stage-chart" });
    const pick = el("select", { id: `stage-${c.contest_id}` });
    tally.stages.forEach((s, i) => pick.append(el("option", { value: String(i) }, `${t("outcome.stage", { n: String(i + 1) })}: ${stageAction(s)}`)));
    const draw = () => {
      const s = tally.stages[Number(pick.value)];
      chart.replaceChildren(barChart(t("outcome.stage", { n: String(Number(pick.value) + 1) }),
        names.map((n) => ({ label: n, value: Number(s.votes[n]) })), false, 50));
    };
    pick.addEventListener("change", draw);
    pick.value = String(tally.stages.length - 1);
    draw();
    section.append(el("label", { for: pick.id }, t("outcome.showStage")), pick, chart, stageTable(el, tally),
                   el("p", {}, el("a", { href: `/api/v1/ballots/${b.id}/contests/${c.contest_id}/blt` }, t("outcome.blt")), " · ",
                      el("a", { href: `/api/v1/ballots/${b.id}/papers` }, t("outcome.papersLink")), " · ",
                      el("a", { href: `/api/v1/ballots/${b.id}/log` }, t("outcome.log"))));
    box.append(section);
  }
  return box;
}

function stageAction(s: StageJson): string {
  if (s.surplus) return t("outcome.surplusOf", { name: s.surplus });
  if (s.excluded.length) return t("outcome.exclusionOf", { name: s.excluded.join(", ") });
  return t("outcome.first");
}

function stageTable(el: El, tally: TallyJson): HTMLElement {
  const names = Object.keys(tally.stages[0]?.votes ?? {});
  const head = el("tr", {}, el("th", { scope: "col" }, t("outcome.candidate")));
  tally.stages.forEach((s, i) => head.append(el("th", { scope: "col", title: stageAction(s) }, String(i + 1))));
  const body = el("tbody");
  for (const n of names) {
    const row = el("tr", {}, el("th", { scope: "row" }, n));
    for (const s of tally.stages) {
      const cell = el("td", {}, s.excluded.includes(n) ? "–" : s.votes[n]);
      if (s.elected.includes(n)) {
        cell.className = "elected";
        cell.append(el("span", { class: "sr" }, ` (${t("outcome.electedHere")})`));
      }
      row.append(cell);
    }
    body.append(row);
  }
  const nt = el("tr", {}, el("th", { scope: "row" }, t("outcome.nonTransferable")));
  for (const s of tally.stages) nt.append(el("td", {}, s.non_transferable));
  body.append(nt);
  return el("div", { class: "table-scroll" }, el("table", { class: "stages" }, el("caption", {}, t("outcome.stagesCaption")), el("thead", {}, head), body));
}

function receiptSection(el: El, b: Ballot): HTMLElement {
  const input = el("input", { id: "receipt-code", autocomplete: "off", spellcheck: "false" });
  const out = el("p", { role: "status" });
  const form = el("form", { class: "receipt-check" }, el("label", { for: input.id }, t("receipt.label")), input,
                  el("button", { type: "submit" }, t("receipt.check")), out);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const code = input.value.trim();
    if (!code) return;
    try {
      const p = await getJson<{ content: string | number[] }>(`/api/v1/ballots/${b.id}/receipts/${encodeURIComponent(code)}`);
      let what: string;
      if (typeof p.content === "string") {
        what = t(`vote.${p.content}`);
      } else {
        const byId = new Map((b.contests ?? []).flatMap((k) => k.candidates).map((c) => [c.id, c.name]));
        what = p.content.map((id, i) => `${i + 1}. ${byId.get(id) ?? id}`).join(", ");
      }
      out.textContent = t("receipt.found", { content: what });
    } catch (err) {
      out.textContent = err instanceof ApiError && err.status === 404 ? t("receipt.notFound") : String(err);
    }
  });
  return el("section", { class: "receipt-box", "aria-labelledby": "receipt-title" }, el("h2", { id: "receipt-title" }, t("receipt.title")), form);
}

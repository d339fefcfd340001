// Communities of practice in the browser: the list of groups (and mine, with my digest
// and email language), a group's page (joining under a handle, its threads, a new thread),
// a thread (posts in order, replies indented under what they answer, each with its
// language; a moderator hides a post or blocks its author), and for an organisation's
// staff a desk (its groups, a new one, members). Posts' HTML comes made safe by the server.
import { currentSession, getJson, ProblemError, sendJson } from "./api";
import { dataTable, labelledField, sendingForm, translatedSelect, type El } from "./forms";
import { hasMessage, lang, LANGS, t } from "./i18n";

interface Community {
  id: number; organisation: { id: number; name: string }; name: string; description: string; description_html?: string; languages: string[];
  open: boolean; archived: boolean; members: number; threads: number; version: number; last_post_at: string;
  me?: Member | null; moderator?: boolean;
}
interface Member { user_id: number; handle: string; moderator: boolean; joined_at: string; posts: number; blocked: boolean; block_reason?: string | null; email?: string }
interface Thread { id: number; title: string; language: string; author: string; posts: number; created_at: string; last_post_at: string }
interface Post {
  id: number; parent_id: number | null; depth: number; author: string; mine: boolean; language: string; body: string; body_html: string;
  created_at: string; edited_at: string | null; hidden: boolean; hidden_reason?: string | null;
}
interface Settings { digest: string; language: string }

function languageName(code: string): string {
  try {
    return new Intl.DisplayNames([lang()], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}
function when(iso: string): string {
  return new Date(iso).toLocaleString(lang(), { dateStyle: "medium", timeStyle: "short" });
}
function errorText(err: ProblemError): string {
  return hasMessage(`co.error.${err.code}`) ? t(`co.error.${err.code}`) : err.fields[0]?.message ?? err.message;
}
// A language picker: the group's languages first, then the app's, the reader's own chosen.
function languageSelect(el: El, first: string[], id: string): HTMLSelectElement {
  const codes = [...new Set([...first, ...LANGS])];
  const s = el("select", { id }, ...codes.map((c) => el("option", { value: c }, languageName(c))));
  s.value = codes.includes(lang()) ? lang() : codes[0];
  return s;
}
function safeHtml(el: El, html: string, id = ""): HTMLElement {
  const box = el("div", { class: "markdown", ...(id ? { id } : {}) });
  box.innerHTML = html;  // made safe by the server (libcmark, no raw HTML, safe links only)
  for (const a of box.querySelectorAll("a")) a.setAttribute("rel", "noopener noreferrer nofollow ugc");
  return box;
}

// ---- the list of groups

export async function communitiesPage(main: HTMLElement, el: El): Promise<void> {
  const signedIn = currentSession() !== null;
  const [list, mine, settings] = await Promise.all([
    getJson<{ items: Community[] }>("/api/v1/communities?limit=200"),
    signedIn ? getJson<{ items: Community[] }>("/api/v1/me/communities") : Promise.resolve(null),
    signedIn ? getJson<Settings>("/api/v1/me/communities/settings") : Promise.resolve(null)]);
  document.title = `${t("co.title")} · Solidum`;
  const card = (g: Community) => el("li", {},
    el("h3", {}, el("a", { href: `/communities/${g.id}`, "data-link": "" }, g.name), g.open ? "" : el("span", { class: "badge" }, ` ${t("co.closed")}`)),
    el("p", { class: "meta" }, `${g.organisation.name} · ${t("co.counts", { members: g.members, threads: g.threads })}`,
      g.languages.length ? ` · ${g.languages.map(languageName).join(", ")}` : ""));
  const page = el("div", { class: "communities" }, el("h1", {}, t("co.title")), el("p", {}, t("co.intro")),
    list.items.length ? el("ul", { class: "results", id: "communities-list" }, ...list.items.map(card)) : el("p", { id: "communities-list" }, t("co.none")));
  if (mine && settings) {
    const digest = translatedSelect(el, ["none", "daily", "weekly"], "co.digest.");
    digest.value = settings.digest;
    const language = translatedSelect(el, LANGS, "lang.");
    language.value = settings.language;
    const form = sendingForm(el, "community-settings", t("co.settings"), [labelledField(el, "co.field.", "digest", digest),
      labelledField(el, "co.field.", "language", language)], t("co.save"), async () => {
      await sendJson("PUT", "/api/v1/me/communities/settings", { digest: digest.value, language: language.value });
      form.querySelector(".form-status")!.textContent = t("co.saved");
    }, "co.error.", (p) => p[0]);
    page.append(el("section", { id: "my-communities" }, el("h2", {}, t("co.mine")),
      mine.items.length ? el("ul", { class: "results" }, ...mine.items.map(card)) : el("p", {}, t("co.noneMine")), form));
  }
  main.replaceChildren(page);
}

// ---- a group

export async function communityPage(main: HTMLElement, el: El, navigate: (path: string) => void, id: number): Promise<void> {
  const path = `/api/v1/communities/${id}`;
  const g = await getJson<Community>(path);
  document.title = `${g.name} · Solidum`;
  const reload = () => communityPage(main, el, navigate, id);
  const signedIn = currentSession() !== null;
  const status = el("p", { "aria-live": "polite", class: "form-status", id: "community-status" });

  const membership = el("section", { id: "membership" });
  if (!signedIn) {
    membership.append(el("p", {}, el("a", { href: "/sign-in", "data-link": "" }, t("co.signInToJoin"))));
  } else if (g.me) {
    membership.append(el("p", { id: "my-handle" }, t("co.youAre", { handle: g.me.handle })));
    if (g.me.blocked) membership.append(el("p", { class: "notice" }, t("co.youAreBlocked"), g.me.block_reason ? ` ${g.me.block_reason}` : ""));
    else {
      const leave = el("button", { type: "button", id: "leave" }, t("co.leave"));
      leave.addEventListener("click", async () => {
        if (!confirm(t("co.confirmLeave"))) return;
        try {
          await sendJson("DELETE", `${path}/membership`, undefined);
          await reload();
        } catch (err) {
          if (!(err instanceof ProblemError)) throw err;
          status.textContent = errorText(err);
        }
      });
      membership.append(el("p", { class: "actions" }, leave));
    }
  } else if (g.open && !g.archived) {
    const handle = el("input", { type: "text", maxlength: "30", required: "", autocomplete: "nickname", value: (currentSession()?.user.email ?? "").split("@")[0].replace(/[^\p{L}\p{N}_.-]/gu, "").slice(0, 30) });
    membership.append(sendingForm(el, "join", t("co.join"), [labelledField(el, "co.field.", "handle", handle, t("co.hint.handle"))], t("co.join"), async () => {
      await sendJson("POST", `${path}/membership`, { handle: handle.value, language: lang() });
      await reload();
    }, "co.error.", (p) => p[0]));
  } else {
    membership.append(el("p", {}, g.archived ? t("co.archived") : t("co.closedJoin")));
  }

  const threadsBox = el("section", { id: "threads" }, el("h2", {}, t("co.threads")));
  const readable = g.open || g.me || g.moderator;
  if (readable) {
    const threads = await getJson<{ items: Thread[]; total: number }>(`${path}/threads?limit=100`);
    threadsBox.append(threads.items.length
      ? dataTable(el, "threads-table", ["co.col.thread", "co.col.language", "co.col.author", "co.col.posts", "co.col.last"], threads.items.map((th) => [
        el("a", { href: `/communities/${id}/threads/${th.id}`, "data-link": "", lang: th.language }, th.title), languageName(th.language), `@${th.author}`,
        String(th.posts), when(th.last_post_at)]))
      : el("p", {}, t("co.noThreads")));
  } else {
    threadsBox.append(el("p", {}, t("co.membersOnly")));
  }
  if (g.me && !g.me.blocked && !g.archived) {
    const title = el("input", { type: "text", maxlength: "300", required: "" });
    const language = languageSelect(el, g.languages, "field-new-thread-language");
    const body = el("textarea", { rows: "6", maxlength: "50000", required: "" });
    threadsBox.append(sendingForm(el, "new-thread", t("co.newThread"), [labelledField(el, "co.field.", "title", title, "", "new-thread-title"),
      labelledField(el, "co.field.", "language", language, "", "new-thread-language"), labelledField(el, "co.field.", "body", body, t("co.hint.body"), "new-thread-body")],
    t("co.post"), async () => {
      const made = await sendJson<{ id: number }>("POST", `${path}/threads`, { title: title.value, language: language.value, body: body.value });
      navigate(`/communities/${id}/threads/${made.body.id}`);
    }, "co.error."));
  }

  main.replaceChildren(el("article", { class: "community" },
    el("p", { class: "meta" }, el("a", { href: `/organisations/${g.organisation.id}`, "data-link": "" }, g.organisation.name)),
    el("h1", {}, g.name), g.open ? "" : el("p", { class: "badge" }, t("co.closed")),
    el("p", { class: "meta" }, t("co.counts", { members: g.members, threads: g.threads }), g.languages.length ? ` · ${g.languages.map(languageName).join(", ")}` : ""),
    safeHtml(el, g.description_html ?? "", "community-description"), membership, status, threadsBox));
}

// ---- a thread

export async function threadPage(main: HTMLElement, el: El, id: number, thread: number): Promise<void> {
  const path = `/api/v1/communities/${id}`;
  const [g, th] = await Promise.all([getJson<Community>(path), getJson<Thread & { items: Post[] }>(`${path}/threads/${thread}`)]);
  document.title = `${th.title} · ${g.name} · Solidum`;
  const reload = () => threadPage(main, el, id, thread);
  const status = el("p", { "aria-live": "polite", class: "form-status", id: "thread-status" });
  const canWrite = !!g.me && !g.me.blocked && !g.archived;
  const staff = `/api/v1/organisations/${g.organisation.id}/communities/${id}`;

  // The reply form, under the post it answers.
  const language = languageSelect(el, g.languages, "field-reply-language");
  const body = el("textarea", { rows: "4", maxlength: "50000", required: "" });
  let parent: number | null = null;
  const answering = el("p", { class: "meta", id: "answering" });
  const replyForm = sendingForm(el, "reply", t("co.reply"), [answering, labelledField(el, "co.field.", "language", language, "", "reply-language"),
    labelledField(el, "co.field.", "body", body, t("co.hint.body"), "reply-body")], t("co.post"), async () => {
    await sendJson("POST", `${path}/threads/${thread}/posts`, { language: language.value, body: body.value, ...(parent ? { parent } : {}) });
    await reload();
  }, "co.error.", (p) => `reply-${p[0]}`);

  const moderate = async (method: string, url: string, ask: string | null) => {
    let reason: string | null = null;
    if (ask !== null) {
      reason = prompt(ask);
      if (!reason) return;
    }
    try {
      await sendJson(method, url, reason === null ? undefined : { reason });
      await reload();
    } catch (err) {
      if (!(err instanceof ProblemError)) throw err;
      status.textContent = errorText(err);
    }
  };

  const posts = el("ol", { class: "posts", id: "posts" }, ...th.items.map((p) => {
    const item = el("li", { id: `post-${p.id}`, class: `post depth-${Math.min(p.depth, 8)}`, style: `margin-inline-start: ${Math.min(p.depth, 8) * 1.25}rem` },
      el("p", { class: "meta" }, el("strong", {}, `@${p.author}`), ` · ${when(p.created_at)} · `, el("span", { class: "badge", lang: p.language }, languageName(p.language)),
        p.edited_at ? ` · ${t("co.edited")}` : ""));
    if (p.hidden) {
      item.append(el("p", { class: "notice hidden-post" }, t("co.hiddenPost"), p.hidden_reason ? ` ${t("co.reason", { reason: p.hidden_reason })}` : ""));
    }
    if (p.body_html) {
      const text = safeHtml(el, p.body_html);
      text.setAttribute("lang", p.language);
      item.append(text);
    }
    const actions = el("p", { class: "actions" });
    if (canWrite && !p.hidden) {
      const answer = el("button", { type: "button", class: "link" }, t("co.answer"));
      answer.addEventListener("click", () => {
        parent = p.id;
        answering.textContent = t("co.answering", { author: p.author });
        item.after(replyForm);
        body.focus();
      });
      actions.append(answer, " ");
    }
    if (g.moderator) {
      const hide = el("button", { type: "button", class: "link" }, p.hidden ? t("co.unhide") : t("co.hide"));
      hide.addEventListener("click", () => moderate(p.hidden ? "DELETE" : "POST", `${staff}/posts/${p.id}/hide`, p.hidden ? null : t("co.askHide")));
      actions.append(hide);
    }
    if (actions.childNodes.length) item.append(actions);
    return item;
  }));

  main.replaceChildren(el("article", { class: "thread" },
    el("p", {}, el("a", { href: `/communities/${id}`, "data-link": "" }, `← ${g.name}`)),
    el("h1", { lang: th.language }, th.title), status, posts,
    canWrite ? replyForm : el("p", {}, g.me?.blocked ? t("co.youAreBlocked") : g.me ? t("co.archived") : t("co.joinToWrite"))));
}

// ---- an organisation's desk

export async function communitiesDeskPage(main: HTMLElement, el: El, navigate: (path: string) => void, org: number): Promise<void> {
  const base = `/api/v1/organisations/${org}/communities`;
  const [o, list] = await Promise.all([getJson<{ name: string }>(`/api/v1/organisations/${org}`), getJson<{ items: Community[] }>(base)]);
  document.title = `${t("co.desk")} · ${o.name} · Solidum`;
  const status = el("p", { "aria-live": "polite", class: "form-status", id: "desk-status" });
  const sections: HTMLElement[] = [];
  for (const g of list.items) {
    const members = await getJson<{ items: Member[] }>(`${base}/${g.id}/members`);
    const rows = members.items.map((m) => {
      const toggle = el("button", { type: "button", class: "link" }, m.blocked ? t("co.unblock") : t("co.block"));
      toggle.addEventListener("click", async () => {
        let reason: string | null = null;
        if (!m.blocked) {
          reason = prompt(t("co.askBlock", { handle: m.handle }));
          if (!reason) return;
        }
        try {
          await sendJson(m.blocked ? "DELETE" : "POST", `${base}/${g.id}/members/${m.user_id}/block`, reason === null ? undefined : { reason });
          await communitiesDeskPage(main, el, navigate, org);
        } catch (err) {
          if (!(err instanceof ProblemError)) throw err;
          status.textContent = errorText(err);
        }
      });
      return [`@${m.handle}`, m.email ?? "", String(m.posts), m.blocked ? t("co.blocked") : m.moderator ? t("co.moderator") : "", m.moderator ? "" : toggle];
    });
    const email = el("input", { type: "email", maxlength: "254", autocomplete: "off" });
    const handle = el("input", { type: "text", maxlength: "30", autocomplete: "off" });
    const add = sendingForm(el, `add-member-${g.id}`, t("co.addMember"), [labelledField(el, "co.field.", "email", email, "", `add-${g.id}-email`),
      labelledField(el, "co.field.", "handle", handle, "", `add-${g.id}-handle`)], t("co.add"), async () => {
      await sendJson("POST", `${base}/${g.id}/members`, { email: email.value, handle: handle.value });
      await communitiesDeskPage(main, el, navigate, org);
    }, "co.error.", (p) => `add-${g.id}-${p[0]}`);
    sections.push(el("section", { class: "community-desk" },
      el("h2", {}, el("a", { href: `/communities/${g.id}`, "data-link": "" }, g.name), g.open ? "" : el("span", { class: "badge" }, ` ${t("co.closed")}`),
        g.archived ? el("span", { class: "badge" }, ` ${t("co.archivedBadge")}`) : ""),
      rows.length ? dataTable(el, `members-${g.id}`, ["co.field.handle", "co.field.email", "co.col.posts", "co.col.role", "co.col.actions"], rows)
                  : el("p", {}, t("co.noMembers")), add));
  }
  const name = el("input", { type: "text", maxlength: "200", required: "" });
  const description = el("textarea", { rows: "4", maxlength: "20000" });
  const languages = el("input", { type: "text", value: lang() });
  const open = el("input", { type: "checkbox", id: "field-open", checked: "" });
  const form = sendingForm(el, "new-community", t("co.new"), [labelledField(el, "co.field.", "name", name, "", "new-community-name"),
    labelledField(el, "co.field.", "description", description, "", "new-community-description"),
    labelledField(el, "co.field.", "languages", languages, t("co.hint.languages"), "new-community-languages"),
    el("label", { class: "check" }, open, ` ${t("co.field.open")}`)], t("co.create"), async () => {
    const made = await sendJson<Community>("POST", base, { name: name.value, description: description.value, open: open.checked,
      languages: languages.value.split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean) });
    navigate(`/communities/${made.body.id}`);
  }, "co.error.", (p) => `new-community-${p[0]}`);
  main.replaceChildren(el("p", {}, el("a", { href: `/organisations/${org}`, "data-link": "" }, `← ${o.name}`)), el("h1", {}, t("co.desk")), status,
    ...(sections.length ? sections : [el("p", {}, t("co.none"))]), form);
}

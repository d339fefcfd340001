// Form pieces the staff pages share: a labelled field with its error line (ids
// `field-NAME` and `error-NAME`, where the server's field errors are shown), a select of
// translated options, showing a problem's field errors at the controls, and the same for
// pages whose controls carry their own ids (fieldBox, failAt, clearErrors).
import { getJson, ProblemError, type SearchPage } from "./api";
import { hasMessage, t } from "./i18n";

export type El = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Record<string, string>, ...children: (Node | string)[]) => HTMLElementTagNameMap[K];

// The label is the message `${labels}${name}`; `id` (by default `name`) makes the ids, unique
// where a page repeats a form.
export function labelledField(el: El, labels: string, name: string, control: HTMLElement, hint = "", id = name): HTMLElement {
  control.id = `field-${id}`;
  const box = el("div", { class: "field" }, el("label", { for: control.id }, t(`${labels}${name}`)), control,
                 el("p", { class: "field-error", id: `error-${id}`, hidden: "" }));
  if (hint) box.append(el("p", { class: "hint" }, hint));
  return box;
}

// Options whose labels are the messages `${labels}${value}`.
export function translatedSelect(el: El, values: string[], labels: string): HTMLSelectElement {
  const s = el("select");
  for (const v of values) s.append(el("option", { value: v }, t(`${labels}${v}`)));
  return s;
}

// Shows each field error under its control (`id` maps a field's JSON Pointer to the name
// used in labelledField; `control` finds the control, by default `#field-NAME`); answers
// the first control to focus.
export function showFieldErrors(form: HTMLElement, err: ProblemError, id: (pointer: string[]) => string = (p) => p[0],
                                 control: (name: string, pointer: string[]) => HTMLElement | null =
                                   (name) => form.querySelector<HTMLElement>(`#field-${name}`)): HTMLElement | null {
  let first: HTMLElement | null = null;
  for (const f of err.fields) {
    const pointer = f.field.replace(/^\//, "").split("/");
    const name = id(pointer);
    const p = form.querySelector<HTMLElement>(`#error-${name}`);
    const c = control(name, pointer);
    if (!p || !c) continue;
    p.textContent = p.hidden ? f.message : `${p.textContent} ${f.message}`;
    p.hidden = false;
    c.setAttribute("aria-invalid", "true");
    c.setAttribute("aria-describedby", p.id);
    first ??= c;
  }
  return first;
}

// A labelled control with its error line (id `${control.id}-error`) and an optional hint.
export function fieldBox(el: El, control: HTMLElement, label: string, hint = ""): HTMLElement {
  const box = el("div", { class: "field" }, el("label", { for: control.id }, label), control,
                 el("p", { class: "field-error", id: `${control.id}-error`, hidden: "" }));
  if (hint) box.append(el("p", { class: "hint" }, hint));
  return box;
}

// Shows `text` on a fieldBox's error line, marks the control invalid and focuses it.
export function failAt(form: HTMLElement, control: HTMLElement, text: string): void {
  const p = form.querySelector<HTMLElement>(`#${control.id}-error`)!;
  p.textContent = text;
  p.hidden = false;
  control.setAttribute("aria-invalid", "true");
  control.setAttribute("aria-describedby", p.id);
  control.focus();
}

// Suggests organisations of the register in `list` (the datalist of `input`) as a name is
// typed; answers a lookup from an option's text to the organisation's id (undefined when
// the text is not one of the suggestions).
export function suggestOrganisations(el: El, input: HTMLInputElement, list: HTMLDataListElement): (text: string) => number | undefined {
  const found = new Map<string, number>();  // option text -> organisation id
  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = window.setTimeout(async () => {
      const q = input.value.trim();
      if (q.length < 2 || found.has(q)) return;
      try {
        const page = await getJson<SearchPage>(`/api/v1/organisations?q=${encodeURIComponent(q)}&limit=8`);
        list.replaceChildren();
        for (const o of page.items) {
          const text = [o.name, o.locality, o.country].filter(Boolean).join(", ");
          found.set(text, o.id);
          list.append(el("option", { value: text }));
        }
      } catch {
        /* suggestions are a help; the submit says what is wrong */
      }
    }, 200);
  });
  return (text) => found.get(text.trim());
}

// Hides a form's error lines and clears the invalid marks.
export function clearErrors(form: HTMLElement): void {
  for (const p of form.querySelectorAll<HTMLElement>(".field-error")) p.hidden = true;
  for (const x of form.querySelectorAll("[aria-invalid]")) x.removeAttribute("aria-invalid");
}

// Today's date in UTC, "YYYY-MM-DD": the default of a form's date.
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

// A table of text (and nodes) with translated column heads.
export function dataTable(el: El, id: string, heads: string[], rows: (string | Node)[][]): HTMLTableElement {
  return el("table", { class: "data", id }, el("thead", {}, el("tr", {}, ...heads.map((h) => el("th", { scope: "col" }, t(h))))),
            el("tbody", {}, ...rows.map((r) => el("tr", {}, ...r.map((c) => el("td", {}, c))))));
}

// A field error found before sending, shown as the server's would be.
export function localError(field: string, message: string): ProblemError {
  return new ProblemError(400, "", "validation_failed", [{ field, code: "invalid", message }]);
}

// A form whose submit runs `send`; a refusal shows at its fields (`names` maps a pointer to
// the name given to labelledField, by default `${id}-${first segment}`) or, without a field,
// as the message `${messages}${code}` when there is one.
export function sendingForm(el: El, id: string, title: string, fields: HTMLElement[], submit: string, send: () => Promise<void>,
                            messages: string, names: (pointer: string[]) => string = (p) => `${id}-${p[0]}`): HTMLFormElement {
  const status = el("p", { "aria-live": "polite", class: "form-status" });
  const f = el("form", { class: "form", id }, el("h3", {}, title), ...fields, el("button", { type: "submit" }, submit), status);
  f.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(f);
    status.textContent = "";
    try {
      await send();
    } catch (err) {
      if (!(err instanceof ProblemError)) throw err;
      const focus = showFieldErrors(f, err, names);
      if (!focus) status.textContent = hasMessage(`${messages}${err.code}`) ? t(`${messages}${err.code}`) : err.fields[0]?.message ?? err.message;
      focus?.focus();
    }
  });
  return f;
}

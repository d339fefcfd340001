// Form pieces the staff pages share: a labelled field with its error line (ids
// `field-NAME` and `error-NAME`, where the server's field errors are shown), a select of
// translated options, showing a problem's field errors at the controls, and the same for
// pages whose controls carry their own ids (fieldBox, failAt, clearErrors).
import { getJson, type ProblemError, type SearchPage } from "./api";
import { t } from "./i18n";

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

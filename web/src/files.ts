// Files attached to a record (a loan application's business plan; the library's
// attachments), the same way on every page: the list with download links, and, while the
// record takes files, an upload form and a remove button per file. The server checks each
// file's bytes against its type; its refusals are shown in the reader's language.
import { ProblemError, sendFile, sendJson } from "./api";
import type { El } from "./forms";
import { hasMessage, lang, t } from "./i18n";

export interface Attachment { id: number; file_name: string; media_type: string; size_bytes: number; hash: string; created_at: string }

// The types the server accepts (src/attachments/file_type.cc), by extension: the type is
// declared from the name, since browsers leave File.type empty or vague for many documents.
const TYPES: Record<string, string> = {
  pdf: "application/pdf", png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", webp: "image/webp", gif: "image/gif",
  odt: "application/vnd.oasis.opendocument.text", ods: "application/vnd.oasis.opendocument.spreadsheet",
  odp: "application/vnd.oasis.opendocument.presentation",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  txt: "text/plain", csv: "text/csv",
};
export const FILE_BYTES_MAX = 20 * 1024 * 1024;  // kAttachmentBytesMax

function declaredType(f: File): string {
  const dot = f.name.lastIndexOf(".");
  const ext = dot < 0 ? "" : f.name.slice(dot + 1).toLowerCase();
  return TYPES[ext] ?? (f.type || "application/octet-stream");
}

export function fileSize(bytes: number): string {
  const units = ["B", "kB", "MB"];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toLocaleString(lang(), { maximumFractionDigits: u === 0 ? 0 : 1 })} ${units[u]}`;
}

// A refusal in the reader's language: by the field error's code, else the server's words.
function refusal(err: ProblemError): string {
  const code = err.fields[0]?.code || err.code;
  if (hasMessage(`files.error.${code}`)) return t(`files.error.${code}`);
  return err.fields[0]?.message || err.message;
}

export interface FilesOptions {
  id: string;                 // prefix of the section's ids (unique on the page)
  base: string;               // the record's files: POST here, GET/DELETE `${base}/{att}`
  files: Attachment[];
  open: boolean;              // whether files may still be added and removed
  reload: (message?: string) => Promise<void>;
  title?: string;
  heading?: "h2" | "h3";      // the title's level on the page (h2 by default)
  closedNote?: string;        // why files can no longer change, when not open
}

export function filesSection(el: El, o: FilesOptions): HTMLElement {
  const list = o.files.length
    ? el("ul", { class: "files", id: `${o.id}-list` }, ...o.files.map((f) => {
      const item = el("li", {}, el("a", { href: `${o.base}/${f.id}`, download: f.file_name }, f.file_name),
                      ` · ${fileSize(f.size_bytes)} · ${f.created_at.slice(0, 10)}`);
      if (o.open) {
        const remove = el("button", { type: "button", class: "link-button", "aria-label": t("files.removeNamed", { name: f.file_name }) }, t("files.remove"));
        remove.addEventListener("click", async () => {
          if (!window.confirm(t("files.confirmRemove", { name: f.file_name }))) return;
          try {
            await sendJson("DELETE", `${o.base}/${f.id}`, undefined);
            await o.reload(t("files.removed", { name: f.file_name }));
          } catch (err) {
            if (!(err instanceof ProblemError)) throw err;
            status.textContent = refusal(err);
          }
        });
        item.append(" ", remove);
      }
      return item;
    }))
    : el("p", { id: `${o.id}-list` }, t("files.none"));
  const status = el("p", { role: "alert", class: "field-error", id: `error-${o.id}-file` });
  const section = el("section", { class: "files-section", id: o.id }, el(o.heading ?? "h2", {}, o.title ?? t("files.title")), list);
  if (!o.open) {
    if (o.closedNote) section.append(el("p", { class: "hint" }, o.closedNote));
    return section;
  }
  const input = el("input", { type: "file", id: `field-${o.id}-file`, accept: Object.keys(TYPES).map((e) => `.${e}`).join(","),
                              required: "", "aria-describedby": `hint-${o.id}-file error-${o.id}-file` });
  const button = el("button", { type: "submit" }, t("files.upload"));
  const form = el("form", { class: "inline-form", id: `${o.id}-form` },
    el("label", { for: input.id }, t("files.choose")), input, button);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    status.textContent = "";
    input.removeAttribute("aria-invalid");
    const f = input.files?.[0];
    if (!f) return input.focus();
    const fail = (text: string) => {
      status.textContent = text;
      input.setAttribute("aria-invalid", "true");
      input.focus();
    };
    if (f.size > FILE_BYTES_MAX) return fail(t("files.error.too_large"));
    button.disabled = true;
    try {
      await sendFile(`${o.base}?file_name=${encodeURIComponent(f.name)}`, f, declaredType(f));
      await o.reload(t("files.added", { name: f.name }));
    } catch (err) {
      if (!(err instanceof ProblemError)) throw err;
      fail(refusal(err));
    } finally {
      button.disabled = false;
    }
  });
  section.append(form, el("p", { class: "hint", id: `hint-${o.id}-file` }, t("files.hint")), status);
  return section;
}

// Every string of the interface exists in the four languages (read from the source).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const source = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "..", "src", "i18n.ts"), "utf8");

function block(lang) {
  const start = source.indexOf(`const ${lang}: Messages = {`);
  assert.ok(start >= 0, `no table for ${lang}`);
  const end = source.indexOf("\n};", start);
  const keys = new Map();
  for (const m of source.slice(start, end).matchAll(/^\s+"?([\w.-]+)"?: (".*"),$/gm)) keys.set(m[1], JSON.parse(m[2]));
  return keys;
}

test("every message is translated into French, Spanish and Portuguese", () => {
  const en = block("en");
  assert.ok(en.size > 100, `${en.size} English messages read`);
  for (const lang of ["fr", "es", "pt"]) {
    const other = block(lang);
    const missing = [...en.keys()].filter((k) => !other.has(k));
    const extra = [...other.keys()].filter((k) => !en.has(k));
    assert.deepEqual(missing, [], `${lang} lacks ${missing.join(", ")}`);
    assert.deepEqual(extra, [], `${lang} has keys English lacks: ${extra.join(", ")}`);
    for (const [k, v] of other) {
      assert.ok(v.trim().length > 0, `${lang} ${k} is empty`);
      const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(",");
      assert.equal(placeholders(v), placeholders(en.get(k)), `${lang} ${k} keeps the placeholders`);
    }
  }
});

test("the static markup's strings are messages", () => {
  const html = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "..", "index.html"), "utf8");
  const en = block("en");
  for (const m of html.matchAll(/data-i18n="([\w.-]+)"/g)) assert.ok(en.has(m[1]), m[1]);
});

test("every message the code asks for by name exists", () => {
  const en = block("en");
  const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "src");
  let asked = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    const code = readFileSync(join(dir, file), "utf8");
    for (const m of code.matchAll(/\bt\("([\w.-]+)"/g)) {
      asked++;
      assert.ok(en.has(m[1]), `${file} asks for "${m[1]}", which is not a message`);
    }
  }
  assert.ok(asked > 500, `${asked} messages asked for`);
});

// The web app in a real browser (Debian's Chromium, headless, driven by playwright-core)
// against a real `solidum serve` on a fresh demo register.
// Needs SOLIDUM_BIN (the server binary) and web/dist (npm run build). Run: node --test e2e/
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, existsSync, rmSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const bin = process.env.SOLIDUM_BIN;
const dist = join(here, "..", "dist");
const browserPath = process.env.SOLIDUM_CHROMIUM || "/usr/bin/chromium";

let dir, server, base, browser, db;

async function waitForFile(path, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (existsSync(path) && readFileSync(path, "utf8").trim()) return readFileSync(path, "utf8").trim();
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${path} did not appear`);
}

before(async () => {
  assert.ok(bin, "SOLIDUM_BIN must name the solidum binary");
  assert.ok(existsSync(join(dist, "index.html")), "build the app first: npm run build");
  dir = mkdtempSync(join(tmpdir(), "solidum-e2e-"));
  // On PostgreSQL when the suite runs there (SOLIDUM_TEST_PG_URL_FILE: the throwaway cluster).
  db = `sqlite:${join(dir, "e2e.db")}`;
  if (process.env.SOLIDUM_TEST_PG_URL_FILE) {
    const pg = readFileSync(process.env.SOLIDUM_TEST_PG_URL_FILE, "utf8").trim();
    const name = `e2e_${process.pid}_${Date.now()}`;
    execFileSync("psql", ["-q", `${pg}postgres`, "-c", `CREATE DATABASE ${name}`], { stdio: "ignore" });
    db = `${pg}${name}`;
  }
  execFileSync(bin, ["--db", db, "demo", "--orgs", "600", "--seed", "3"], { stdio: "ignore" });
  execFileSync(bin, ["--db", db, "user", "add", "staff@network.example", "--admin", "--password-stdin"],
               { input: "a long enough password\n", stdio: ["pipe", "ignore", "ignore"] });
  const portFile = join(dir, "port");
  server = spawn(bin, ["serve", "--db", db, "--listen", "127.0.0.1:0", "--port-file", portFile, "--web-root", dist,
                       "--no-access-log"], { stdio: "ignore" });
  base = `http://127.0.0.1:${await waitForFile(portFile, 10000)}`;
  browser = await chromium.launch({
    executablePath: browserPath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
  });
});

after(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function page(path = "/", options = {}) {
  const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 800 }, ...options });
  const p = await context.newPage();
  const errors = [];
  p.on("pageerror", (e) => errors.push(e.message));
  await p.goto(base + path);
  return { p, errors, context };
}

// Signs in on the sign-in page `p` shows, and waits for the account bar.
async function signInAs(p, email) {
  await p.getByLabel("Email").fill(email);
  await p.getByLabel("Password").fill("a long enough password");
  await p.getByRole("button", { name: "Sign in" }).click();
  await p.getByText(`Signed in as ${email}`).waitFor();
}

// A user with the test password, made with the real CLI.
function addUser(email) {
  execFileSync(bin, ["--db", db, "user", "add", email, "--password-stdin"], { input: "a long enough password\n", stdio: ["pipe", "ignore", "ignore"] });
}

// The API as the platform's admin (a bearer token made with the CLI): asserts success and
// answers the JSON.
function staffApi() {
  const token = execFileSync(bin, ["--db", db, "token", "create", "staff@network.example"]).toString().trim();
  return async (method, path, body) => {
    const r = await fetch(base + path, { method, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
                                         body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    assert.ok(r.ok, `${method} ${path}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

test("search and filters update the list, the map and the URL", async () => {
  const { p, errors, context } = await page("/");
  await p.getByText(/organisations on the map/).waitFor();
  const total = () => p.locator("#total").textContent();
  await p.locator("#total").filter({ hasText: /organisations/ }).waitFor();
  const all = await total();
  await p.getByLabel("Search the register").fill("Boulangerie");
  await p.getByRole("button", { name: "Search" }).click();
  await p.waitForURL(/q=Boulangerie/);
  // The previous list stays on screen until the answer comes: wait for the new total (the
  // test raced it under load), then check the list.
  await p.waitForFunction((before) => document.querySelector("#total")?.textContent !== before, all);
  await p.locator("#results li").first().waitFor();
  assert.notEqual(await total(), all);
  for (const name of await p.locator("#results li a").allTextContents()) assert.match(name, /Boulangerie/);
  // A facet: the first legal form offered.
  const box = p.locator("fieldset").filter({ hasText: "Legal form" }).locator("input[type=checkbox]").first();
  const form = await box.getAttribute("value");
  await box.check();
  await p.waitForURL(new RegExp(`legal_form=${form}`));
  const shared = p.url();
  // The link opens the same search.
  const { p: p2, context: c2 } = await page(shared.replace(base, ""));
  await p2.locator("#results li").first().waitFor();
  assert.equal(await p2.getByLabel("Search the register").inputValue(), "Boulangerie");
  assert.ok(await p2.locator(`input[value="${form}"]`).isChecked());
  await c2.close();
  assert.deepEqual(errors, []);
  await context.close();
});

test("an organisation opens from the map", async () => {
  // Centre the map, zoomed in, on one organisation: a click in the middle opens it.
  const points = await (await fetch(`${base}/api/v1/organisations/map?q=Bakery`)).json();
  assert.ok(points.total > 0);
  const lat = points.lat[0], lon = points.lon[0];
  const { p, errors, context } = await page(`/?q=Bakery&view=${lon},${lat},17.5`);
  await p.getByText(/organisations on the map/).waitFor();
  const canvas = p.locator(".map canvas");
  const boxSize = await canvas.boundingBox();
  await p.mouse.click(boxSize.x + boxSize.width / 2, boxSize.y + boxSize.height / 2);
  await p.waitForURL(/\/organisations\/\d+$/);
  const heading = await p.locator("h1").textContent();
  // Several may share a place at this scale: the one opened is a bakery there (the search
  // put only bakeries on the map).
  assert.match(heading, /Bakery/);
  const opened = Number(p.url().split("/").pop());
  const o = await (await fetch(`${base}/api/v1/organisations/${opened}`)).json();
  assert.ok(Math.abs(o.latitude - lat) < 0.01 && Math.abs(o.longitude - lon) < 0.01, "opened where the map was centred");
  await p.getByRole("link", { name: /Back to the map/ }).click();
  await p.getByText(/organisations on the map/).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("the language switcher translates the interface", async () => {
  const { p, errors, context } = await page("/");
  await p.getByText(/organisations on the map/).waitFor();
  await p.getByLabel("Language").selectOption("fr");
  await p.getByLabel("Rechercher dans le registre").waitFor();
  await p.getByText(/organisations sur la carte/).waitFor();
  assert.equal(await p.locator("html").getAttribute("lang"), "fr");
  await p.getByLabel("Langue").selectOption("es");
  await p.getByLabel("Buscar en el registro").waitFor();
  await p.getByLabel("Idioma").selectOption("pt");
  await p.getByLabel("Pesquisar no registo").waitFor();
  // Vocabulary labels follow: a legal form facet in Portuguese.
  await p.locator("fieldset").filter({ hasText: "Forma jurídica" }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("a network page shows its members and portrait charts", async () => {
  const { p, errors, context } = await page("/networks/2");
  await p.locator("h1").waitFor();
  await p.locator("figure svg[role=img]").first().waitFor();
  assert.ok((await p.locator("table.members tbody tr").count()) > 0);
  assert.equal(await p.locator("figure").count(), 3);
  assert.deepEqual(errors, []);
  await context.close();
});

test("on a phone-width screen the map and the list stack, and keys move the map", async () => {
  const { p, errors, context } = await page("/", { viewport: { width: 390, height: 800 }, isMobile: true, hasTouch: true });
  await p.getByText(/organisations on the map/).waitFor();
  const map = await p.locator(".map-box").boundingBox();
  const list = await p.locator(".directory").boundingBox();
  assert.ok(map.y + map.height <= list.y + 1, "the map sits above the list");
  assert.ok(list.width <= 390);
  const before = new URL(p.url()).searchParams.get("view");
  await p.locator(".map canvas").focus();
  await p.keyboard.press("ArrowRight");
  await p.keyboard.press("+");
  await p.waitForFunction((b) => new URL(location.href).searchParams.get("view") !== b, before);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the app's JavaScript stays under 300 kB gzipped", () => {
  const assets = join(dist, "assets");
  let total = 0;
  for (const f of readdirSync(assets)) if (f.endsWith(".js")) total += gzipSync(readFileSync(join(assets, f))).length;
  assert.ok(total > 10_000, "the bundle is there");
  assert.ok(total < 300 * 1024, `${total} bytes gzipped`);
});

test("sign in, edit an organisation, see the server's messages at the fields, see the change", async () => {
  const { p, errors, context } = await page("/");
  await p.getByRole("link", { name: "Sign in" }).click();
  await p.getByLabel("Email").fill("staff@network.example");
  await p.getByLabel("Password").fill("not the password");
  await p.getByRole("button", { name: "Sign in" }).click();
  await p.getByText(/Sign-in failed/).waitFor();
  await p.getByLabel("Password").fill("a long enough password");
  await p.getByRole("button", { name: "Sign in" }).click();
  await p.getByText("Signed in as staff@network.example").waitFor();

  await p.goto(base + "/organisations/100");
  await p.getByRole("link", { name: "Edit" }).click();
  await p.getByLabel("Name", { exact: true }).fill("");
  await p.getByLabel("Website").fill("not a web address");
  await p.getByRole("button", { name: "Save" }).click();
  await p.getByText("Some fields need attention.").waitFor();
  assert.equal(await p.getByLabel("Name", { exact: true }).getAttribute("aria-invalid"), "true");
  assert.equal(await p.getByLabel("Website").getAttribute("aria-invalid"), "true");
  assert.ok((await p.locator("#error-website").textContent()).length > 0);
  await p.getByLabel("Name", { exact: true }).fill("Renamed Solidarity Bakery");
  await p.getByLabel("Website").fill("https://bakery.example");
  await p.getByLabel("Workers").fill("17");
  await p.getByLabel("5. ", { exact: false }).first().check();  // an SDG
  await p.getByLabel("Mission", { exact: true }).fill("Good bread for the whole street");
  await p.getByLabel("Description (French)").fill("Du bon pain pour toute la rue");
  await p.getByLabel("Democratic governance").selectOption("4");
  await p.getByLabel("Other web pages (one per line)").fill("https://social.example/bakery\nhttps://market.example/b");
  await p.getByLabel("Working languages").fill("en, cy");
  await p.getByRole("button", { name: "Save" }).click();
  await p.waitForURL(/\/organisations\/100$/);
  await p.getByRole("heading", { name: "Renamed Solidarity Bakery" }).waitFor();
  const stored = await (await fetch(`${base}/api/v1/organisations/100`)).json();
  assert.equal(stored.name, "Renamed Solidarity Bakery");
  assert.equal(stored.website, "https://bakery.example");
  assert.equal(stored.workers, 17);
  assert.ok(stored.sdgs.includes(5), JSON.stringify(stored.sdgs));
  assert.equal(stored.mission, "Good bread for the whole street");
  assert.equal(stored.translations.fr.description, "Du bon pain pour toute la rue");
  assert.equal(stored.principles.democracy, 4);
  assert.deepEqual(stored.urls, ["https://social.example/bakery", "https://market.example/b"]);
  assert.deepEqual(stored.languages, ["en", "cy"]);
  // The page shows them, and the French description in French.
  await p.getByText("Good bread for the whole street").waitFor();
  await p.getByText("social.example/bakery").waitFor();
  await p.getByText("Welsh").waitFor();
  await p.locator("meter").first().waitFor();
  await p.getByLabel("Language").selectOption("fr");
  await p.getByText("Du bon pain pour toute la rue").waitFor();
  await p.getByLabel("Langue").selectOption("en");
  // A translation the server refuses is shown at its own field.
  await p.getByRole("link", { name: "Edit" }).click();
  await p.getByLabel("Mission (Spanish)").fill("x".repeat(5001));
  await p.getByRole("button", { name: "Save" }).click();
  await p.getByText("Some fields need attention.").waitFor();
  assert.equal(await p.getByLabel("Mission (Spanish)").getAttribute("aria-invalid"), "true");
  await p.getByRole("link", { name: "Cancel" }).click();
  await p.waitForURL(/\/organisations\/100$/);
  // A new organisation from the form: its creator can edit it at once.
  await p.getByRole("link", { name: "Add an organisation" }).click();
  await p.getByRole("button", { name: "Save" }).click();
  await p.getByText("Some fields need attention.").waitFor();
  assert.equal(await p.getByLabel("Name", { exact: true }).getAttribute("aria-invalid"), "true");
  await p.getByLabel("Name", { exact: true }).fill("Brand New Food Co-op");
  await p.getByLabel("Country").selectOption("PT");
  await p.getByRole("button", { name: "Save" }).click();
  await p.getByRole("heading", { name: "Brand New Food Co-op" }).waitFor();
  await p.getByRole("link", { name: "Edit" }).waitFor();
  // And search finds it by its new name.
  const found = await (await fetch(`${base}/api/v1/organisations?q=Renamed`)).json();
  assert.equal(found.total, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test("portraits of the register as charts, and a network admin's import with per-row results", async () => {
  const { p, errors, context } = await page("/portraits");
  await p.locator("figure svg[role=img]").first().waitFor();
  assert.ok((await p.locator("table.members tbody tr").count()) >= 5, "a row per country");
  await p.getByLabel("Count by").selectOption("legal_form");
  await p.waitForURL(/group_by=legal_form/);
  await p.getByRole("columnheader", { name: "Legal form" }).waitFor();

  // Sign in as a platform admin, then import into the first regional network.
  await p.goto(base + "/sign-in");
  await signInAs(p, "staff@network.example");
  const regional = await (await fetch(`${base}/api/v1/organisations?network_scope=regional&limit=1`)).json();
  const id = regional.items[0].id;
  await p.goto(`${base}/networks/${id}`);
  await p.getByRole("link", { name: "Import organisations" }).click();
  const csv = "Nom;Ville;Pays;Latitude;Longitude\n" +
              "Coopérative du Test;Lyon;France;45,75;4,85\n" +
              "Sans coordonnées;Lyon;France;nord;4,85\n" +
              "Autre Test;Lyon;Atlantide;45,76;4,84\n";
  await p.getByLabel("File").setInputFiles({ name: "members.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await p.getByLabel("Format").selectOption("csv");
  await p.getByRole("button", { name: "Import" }).click();
  await p.getByText(/Read 3: 2 created, 0 updated, 0 unchanged, 1 rejected; 2 new members/).waitFor();
  await p.getByRole("heading", { name: "Rejected rows" }).waitFor();
  assert.match(await p.locator("#import-result").textContent(), /invalid coordinates/);
  assert.match(await p.locator("#import-result").textContent(), /Atlantide/);
  const members = await (await fetch(`${base}/api/v1/organisations?network=${id}&q=Test`)).json();
  assert.equal(members.total, 2);
  // The follow-up page lists them with what their records lack.
  await p.goto(`${base}/networks/${id}`);
  await p.getByRole("link", { name: "Follow up the members" }).click();
  const row = p.locator("tr").filter({ hasText: "Coopérative du Test" });
  await row.waitFor();
  assert.match(await row.textContent(), /legal form/);

  // The network's staff end a membership and record a new member from the network page.
  await p.goto(`${base}/networks/${id}`);
  await p.locator("table.members tbody tr").first().waitFor();
  const today = new Date().toISOString().slice(0, 10);
  const before = await (await fetch(`${base}/api/v1/networks/${id}/members?limit=200`)).json();
  const gone = before.items.find((m) => m.start_date && m.start_date < today);
  const leaving = gone.organisation.name;
  await p.getByRole("button", { name: `End ${leaving}'s membership today` }).click();
  await p.getByText(`${leaving} is no longer a member.`).waitFor();
  const past = await (await fetch(`${base}/api/v1/networks/${id}/members?status=past`)).json();
  const ended = past.items.find((m) => m.id === gone.id);
  assert.ok(ended, "the ended membership stays as history");
  assert.equal(ended.end_date, today);
  // A bakery that is not a member yet, found by typing its name.
  const already = new Set(before.items.map((m) => m.organisation.id));
  const bakeries = await (await fetch(`${base}/api/v1/organisations?q=Bakery&limit=50`)).json();
  const newcomer = bakeries.items.find((o) => !already.has(o.id) && !o.network_scope);
  const box = p.getByLabel("Organisation", { exact: true });
  // Types the start of the name and takes the suggestion for it.
  const choose = async () => {
    await box.fill(newcomer.name.slice(0, 12));
    await p.waitForFunction((name) => [...document.querySelectorAll("#member-suggestions option")]
      .some((o) => o.value === name || o.value.startsWith(name + ",")), newcomer.name);
    const choice = await p.locator("#member-suggestions option").evaluateAll(
      (os, name) => os.map((o) => o.value).find((v) => v.startsWith(name + ",") || v === name), newcomer.name);
    await box.fill(choice);
  };
  await box.fill("no such organisation");
  await p.getByRole("button", { name: "Add", exact: true }).click();
  await p.getByText("Choose an organisation from the list.").waitFor();
  assert.equal(await box.getAttribute("aria-invalid"), "true");
  await choose();
  await p.getByLabel("Role").selectOption("associate");
  await p.getByRole("button", { name: "Add", exact: true }).click();
  await p.getByText(/is now a member\./).waitFor();
  await p.locator("table.members").getByRole("link", { name: newcomer.name, exact: true }).waitFor();
  const after = await (await fetch(`${base}/api/v1/networks/${id}/members?limit=200`)).json();
  const added = after.items.find((m) => m.organisation.id === newcomer.id);
  assert.ok(added, "recorded as a member");
  assert.equal(added.role, "associate");
  // Adding it twice is refused, in words.
  await choose();
  await p.getByRole("button", { name: "Add", exact: true }).click();
  await p.getByText("This organisation is already a member: end that membership first.").waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("a member votes in an election, keeps the receipt, and reads the count stage by stage", async () => {
  addUser("voter@coop.example");
  const token = execFileSync(bin, ["--db", db, "token", "create", "staff@network.example"]).toString().trim();
  const api = async (method, path, body, headers = {}) => {
    const r = await fetch(base + path, { method, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...headers },
                                         body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    assert.ok(r.ok, `${method} ${path}: ${r.status} ${text}`);
    return { json: text ? JSON.parse(text) : null, etag: r.headers.get("etag") };
  };
  const org = (await api("POST", "/api/v1/organisations", { name: "Coopérative électorale", country: "FR" })).json.id;
  const members = [];
  members.push((await api("POST", `/api/v1/organisations/${org}/members`, { name: "Voter", user_email: "voter@coop.example", joined_on: "2020-01-01" })).json.id);
  for (const name of ["Paper One", "Paper Two"]) members.push((await api("POST", `/api/v1/organisations/${org}/members`, { name, joined_on: "2020-01-01" })).json.id);
  const now = Date.now();
  const created = await api("POST", `/api/v1/organisations/${org}/ballots`, {
    kind: "election", title: "Board election 2027", method: "scottish", seed: 3,
    opens_at: new Date(now - 60000).toISOString().replace(/\.\d+Z$/, "Z"), closes_at: new Date(now + 3600000).toISOString().replace(/\.\d+Z$/, "Z"),
    contests: [{ seats: 1, candidates: [{ name: "Ana" }, { name: "Bo" }, { name: "Cy" }] }],
  });
  const ballot = created.json.id;
  const ids = created.json.contests[0].candidates.map((c) => c.id);
  const step = async (what) => {
    const current = await api("GET", `/api/v1/organisations/${org}/ballots/${ballot}`);
    await api("POST", `/api/v1/organisations/${org}/ballots/${ballot}/${what}`, undefined, { "If-Match": current.etag });
  };
  await step("open");

  const { p, errors, context } = await page("/sign-in");
  await signInAs(p, "voter@coop.example");
  await p.setViewportSize({ width: 375, height: 740 });  // a phone: the vote page must fit it
  const fits = () => p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
  await p.getByRole("link", { name: "My ballots" }).click();
  await p.getByText("Not voted yet").waitFor();
  await p.getByRole("link", { name: "Board election 2027" }).click();
  await p.getByLabel("Preference for Ana").waitFor();
  assert.ok(await fits(), "the vote form fits a phone's width");
  await p.getByLabel("Preference for Ana").fill("1");
  await p.getByLabel("Preference for Cy").fill("1");
  await p.getByRole("button", { name: "Cast my vote" }).click();
  await p.getByText("Use each number once, from 1 upwards.").waitFor();  // checked before anything is sent
  await p.getByLabel("Preference for Cy").fill("2");
  await p.getByRole("button", { name: "Cast my vote" }).click();
  await p.getByRole("heading", { name: "Your vote is in the ballot box" }).waitFor();
  const receipt = (await p.locator(".receipt code").textContent()).trim();
  assert.match(receipt, /^[A-Z2-7]{4}(-[A-Z2-7]{4}){5}$/);

  // The two members without accounts vote on paper; the teller enters them; then close and publish.
  await api("POST", `/api/v1/organisations/${org}/ballots/${ballot}/paper-ballots`,
            { voters: members.slice(1), papers: [{ ranking: [ids[1], ids[2]] }, { ranking: [ids[2], ids[1]] }] });
  await step("close");
  await step("publish");

  await p.goto(`${base}/ballots/${ballot}`);
  await p.getByRole("heading", { name: "Results" }).waitFor();
  await p.getByText(/^Elected: /).waitFor();
  assert.ok(await fits(), "the results (table and chart scroll within themselves) fit a phone's width");
  assert.ok((await p.locator("table.stages tbody tr").count()) >= 4, "a row per candidate and the non-transferable votes");
  await p.getByLabel("Stage shown").selectOption("0");
  assert.match(await p.locator(".stage-chart svg").getAttribute("aria-label"), /Stage 1: Ana 1(\.0+)?, Bo 1/);
  await p.getByLabel("Receipt code").fill(receipt.toLowerCase());
  await p.getByRole("button", { name: "Find my ballot" }).click();
  await p.getByText("Your ballot is in the box: 1. Ana, 2. Cy").waitFor();
  await p.getByLabel("Language").selectOption("fr");
  await p.getByRole("heading", { name: "Résultats" }).waitFor();
  await p.getByRole("heading", { name: "Vérifier mon bulletin" }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("a returning officer sets up a motion, sees the server's refusals at the fields, and opens it", async () => {
  const { p, errors, context } = await page("/sign-in");
  p.on("dialog", (d) => d.accept());
  await signInAs(p, "staff@network.example");
  await p.goto(base + "/organisations/101");
  await p.getByRole("link", { name: "Ballots and elections" }).click();
  await p.getByText("No ballot yet.").waitFor();
  await p.getByRole("link", { name: "Set up a ballot" }).click();
  await p.getByLabel("Kind of ballot").selectOption("motion");
  await p.getByLabel("Title").fill("Approve the 2026 accounts");
  const local = (ms) => { const d = new Date(Date.now() + ms - new Date().getTimezoneOffset() * 60000); return d.toISOString().slice(0, 16); };
  await p.getByLabel("Voting opens").fill(local(3600000));
  await p.getByLabel("Voting closes").fill(local(-3600000));
  await p.getByLabel("Majority required").selectOption("two_thirds");
  await p.getByRole("button", { name: "Save as a draft" }).click();
  await p.getByText("Voting must close after it opens.").waitFor();
  assert.equal(await p.getByLabel("Voting closes").getAttribute("aria-invalid"), "true");
  await p.getByLabel("Voting closes").fill(local(7200000));
  await p.getByRole("button", { name: "Save as a draft" }).click();
  await p.getByRole("cell", { name: "Approve the 2026 accounts" }).waitFor();
  await p.getByRole("cell", { name: "in preparation" }).waitFor();
  await p.getByRole("button", { name: "Open" }).click();
  await p.getByText("“Approve the 2026 accounts” is open.").waitFor();
  await p.getByRole("button", { name: "Close and count" }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("an organisation's staff keep its member register: add, import all or nothing, record a departure", async () => {
  const { p, errors, context } = await page("/sign-in");
  await signInAs(p, "staff@network.example");
  await p.goto(base + "/organisations/102");
  await p.getByRole("link", { name: "Member register" }).click();
  await p.getByText("0 members").waitFor();
  await p.getByLabel("Name", { exact: true }).fill("Élodie Martin");
  await p.getByLabel("Email", { exact: true }).fill("not an email");
  await p.getByRole("button", { name: "Register", exact: true }).click();
  await p.getByText("This is not an email address.").waitFor();
  assert.equal(await p.getByLabel("Email", { exact: true }).getAttribute("aria-invalid"), "true");
  await p.getByLabel("Email", { exact: true }).fill("elodie@example.org");
  await p.getByLabel("Number", { exact: true }).fill("001");
  await p.getByRole("button", { name: "Register", exact: true }).click();
  await p.getByText("1 members").waitFor();

  const bad = "Numéro;Nom;Courriel\n002;Zoé;zoe@example.org\n003;;nope\n";
  await p.getByLabel("CSV file").setInputFiles({ name: "register.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
  await p.getByRole("button", { name: "Import", exact: true }).click();
  await p.getByText("Nothing was imported: 2 problem(s) to fix.").waitFor();
  await p.getByRole("cell", { name: "line 3/email" }).waitFor();
  const good = "Numéro;Nom;Courriel;Date d'adhésion\n002;Zoé;zoe@example.org;2020-01-15\n003;Ana;;2021-03-01\n";
  await p.getByLabel("CSV file").setInputFiles({ name: "register.csv", mimeType: "text/csv", buffer: Buffer.from(good) });
  await p.getByRole("button", { name: "Import", exact: true }).click();
  await p.getByText("Imported: 2 new, 0 changed, 0 unchanged.").waitFor();
  await p.getByText("3 members").waitFor();

  await p.getByRole("button", { name: "Zoé" }).click();
  await p.getByLabel("Left on").fill("2026-01-31");
  await p.getByRole("button", { name: "Save" }).click();
  await p.getByText("2 members").waitFor();
  await p.getByLabel("Show").selectOption("left");
  await p.getByRole("button", { name: "Zoé" }).click();
  await p.getByText(/changed · Left on: — → 2026-01-31/).waitFor();

  // Colleges: the staff add one; weights over 100 % in all are refused at the field.
  const colleges = p.getByRole("region", { name: "Colleges (member classes)" });
  await colleges.getByText("No college yet: every member votes in one body.").waitFor();
  await colleges.getByLabel("Code").fill("worker");
  await colleges.getByLabel("College name").fill("Worker members");
  await colleges.getByLabel("Weight in votes (%)").fill("60");
  await colleges.getByRole("button", { name: "Add" }).click();
  await colleges.getByRole("cell", { name: "Worker members" }).waitFor();
  await colleges.getByLabel("Code").fill("user");
  await colleges.getByLabel("College name").fill("User members");
  await colleges.getByLabel("Weight in votes (%)").fill("50");
  await colleges.getByRole("button", { name: "Add" }).click();
  await colleges.locator(".field-error").first().waitFor();
  assert.equal(await colleges.getByLabel("Weight in votes (%)").getAttribute("aria-invalid"), "true");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a secretary convenes an assembly, keeps the attendance register with proxies, records decisions; a member reads it", async () => {
  addUser("ana@assembly.example");
  const api = staffApi();
  const org = 103;
  await api("POST", `/api/v1/organisations/${org}/members`, { number: "1", name: "Ana Lima", user_email: "ana@assembly.example", joined_on: "2020-01-01" });
  await api("POST", `/api/v1/organisations/${org}/members`, { number: "2", name: "Bo Silva", joined_on: "2020-01-01" });
  await api("POST", `/api/v1/organisations/${org}/members`, { number: "3", name: "Cy Diaz", joined_on: "2020-01-01" });

  const { p, errors, context } = await page("/sign-in");
  p.on("dialog", (d) => d.accept());
  await signInAs(p, "staff@network.example");
  await p.goto(`${base}/organisations/${org}`);
  await p.getByRole("link", { name: "General assemblies" }).click();
  await p.getByText("No assembly yet.").waitFor();
  await p.getByRole("link", { name: "Set up an assembly" }).click();
  await p.getByLabel("Title", { exact: true }).fill("AG 2027");
  const inDays = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
  await p.getByLabel("Date and time, where it is held").fill(`${inDays(30)}T18:00`);
  await p.getByLabel("Quorum (% of members present or represented)").fill("50");
  await p.getByLabel("Agenda").fill("Accounts 2026\nBudget 2027");
  await p.getByRole("button", { name: "Save as a draft" }).click();
  await p.getByText("A place, an online link, or both.").waitFor();  // the server's refusal, at the field
  assert.equal(await p.getByLabel("Place", { exact: true }).getAttribute("aria-invalid"), "true");
  await p.getByLabel("Place", { exact: true }).fill("Salle des fêtes");
  await p.getByRole("button", { name: "Save as a draft" }).click();
  await p.getByRole("heading", { name: "AG 2027" }).waitFor();
  await p.getByRole("link", { name: "Change the draft" }).click();
  assert.equal(await p.getByLabel("Place", { exact: true }).inputValue(), "Salle des fêtes");
  await p.getByLabel("Place", { exact: true }).fill("Salle des fêtes, Lyon");
  await p.getByRole("button", { name: "Save as a draft" }).click();
  await p.getByText("Salle des fêtes, Lyon").waitFor();
  await p.getByRole("button", { name: "Convene" }).click();
  await p.getByText("“AG 2027” is convened.").waitFor();
  await p.getByText("0 notices are on their way; 3 members have no email address.").waitFor();

  await p.getByRole("button", { name: "Present – Ana Lima" }).click();
  await p.getByText("Ana Lima is signed in.").waitFor();
  await p.getByText("Quorum not reached").waitFor();
  await p.getByLabel("Proxy of Bo Silva").selectOption({ label: "Ana Lima" });
  await p.getByText("Bo Silva's proxy is recorded.").waitFor();
  await p.getByText("Quorum reached").waitFor();
  await p.getByText("1 present and 1 represented of 3 members; 2 needed.").waitFor();
  await p.getByRole("button", { name: "Open the session" }).click();
  await p.getByText("The session of “AG 2027” is open.").waitFor();
  const first = p.locator("ol.agenda > li").first();
  await first.getByLabel("Yes", { exact: true }).fill("3");
  await first.getByRole("button", { name: "Record the decision" }).click();
  await p.getByText("More votes than members present or represented (2).").waitFor();
  await first.getByLabel("Yes", { exact: true }).fill("2");
  await first.getByLabel("No", { exact: true }).fill("0");
  await first.getByLabel("Abstain").fill("0");
  await first.getByRole("button", { name: "Record the decision" }).click();
  await p.getByText("adopted (yes 2, no 0, abstentions 0)").waitFor();
  await p.getByLabel("Minutes").fill("Opened at 18:05, closed at 19:40.");
  await p.getByRole("button", { name: "Close the assembly" }).click();
  await p.getByText("“AG 2027” is closed.").waitFor();
  assert.deepEqual(errors, []);
  await context.close();

  // Ana, a member, finds it under "My assemblies" on her phone, in French.
  const member = await page("/sign-in", { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  await signInAs(member.p, "ana@assembly.example");
  await member.p.getByRole("link", { name: "My assemblies" }).click();
  await member.p.getByRole("link", { name: "AG 2027" }).click();
  await member.p.getByText("You are signed in.").waitFor();
  await member.p.getByLabel("Language").selectOption("fr");
  await member.p.getByRole("heading", { name: "Ordre du jour" }).waitFor();
  await member.p.getByText("adoptée (pour 2, contre 0, abstentions 0)").waitFor();
  await member.p.getByRole("heading", { name: "Procès-verbal" }).waitFor();
  assert.ok(await member.p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), "no sideways scrolling on a phone");
  assert.deepEqual(member.errors, []);
  await member.context.close();
});

test("a time bank member sees their balance, pays another member, and reads the statement", async () => {
  addUser("gardener@timebank.example");
  const api = staffApi();
  const org = (await api("POST", "/api/v1/organisations", { name: "Banque du temps de Lyon", country: "FR" })).id;
  const currency = (await api("POST", `/api/v1/organisations/${org}/currencies`,
                              { code: "LYON-H", name: "Heures de Lyon", unit: "h", decimals: 2, default_credit_limit: 1000 })).id;
  const member = (await api("POST", `/api/v1/organisations/${org}/members`, { name: "Gardener", user_email: "gardener@timebank.example", joined_on: "2024-01-01" })).id;
  const mine = (await api("POST", `/api/v1/organisations/${org}/currencies/${currency}/accounts`, { member_id: member, name: "Gardener" })).id;
  const baker = (await api("POST", `/api/v1/organisations/${org}/currencies/${currency}/accounts`, { name: "Baker" })).id;
  await api("POST", "/api/v1/transfers", { id: "e2e-welcome", debit_account: baker, credit_account: mine, amount: 150, memo: "Welcome" });

  const { p, errors, context } = await page("/sign-in");
  await signInAs(p, "gardener@timebank.example");
  await p.getByRole("link", { name: "My accounts" }).click();
  await p.getByText("Balance 1.50 h").waitFor();
  await p.getByRole("link", { name: "Heures de Lyon (LYON-H)" }).click();
  await p.getByRole("heading", { name: "Pay someone" }).waitFor();
  await p.getByRole("cell", { name: "Baker — Welcome" }).waitFor();
  // Checked in the page first: an amount with too many decimals sends nothing.
  await p.getByLabel("To", { exact: true }).selectOption({ label: "Baker" });
  await p.getByLabel("Amount (h)").fill("2.555");
  await p.getByRole("button", { name: "Pay", exact: true }).click();
  await p.getByText("Give an amount above zero with at most 2 decimals.").waitFor();
  // Then the server's refusal, in words: beyond the credit limit of 10 h.
  await p.getByLabel("Amount (h)").fill("20");
  await p.getByRole("button", { name: "Pay", exact: true }).click();
  await p.getByText("Refused: this would take your account below its credit limit.").waitFor();
  await p.getByLabel("Amount (h)").fill("2,25");
  await p.getByLabel("What for (optional)").fill("Bread, thanks");
  await p.keyboard.press("Enter");  // the form works from the keyboard
  await p.getByText("Paid 2.25 h to Baker.").waitFor();
  await p.getByText("Balance −0.75 h").waitFor();
  await p.getByRole("cell", { name: "Baker — Bread, thanks" }).waitFor();
  assert.equal(await p.locator("table.statement tbody tr").count(), 2);
  assert.equal((await p.locator("table.statement tbody tr").first().locator("td").last().textContent()).trim(), "−0.75");
  // The CSV, through the same session.
  const csv = await p.evaluate(async (id) => (await fetch(`/api/v1/accounts/${id}/statement.csv`)).text(), mine);
  assert.match(csv, /e2e-welcome,transfer,\d+,Baker,Welcome,1\.50,,,1\.50\r\n/);
  await p.getByLabel("Language").selectOption("fr");
  await p.getByRole("heading", { name: "Payer quelqu'un" }).waitFor();
  await p.getByText("Solde −0,75 h").waitFor();
  // The community's statistics, as figures and charts, once the writer's checkpoint has them.
  await p.getByLabel("Langue").selectOption("en");
  for (let i = 0; i < 30; i++) {
    await p.getByRole("link", { name: "Community statistics" }).click();
    await p.getByRole("heading", { name: /^Statistics/ }).waitFor();
    if ((await p.locator(".figures dd").nth(2).textContent()).trim() === "2") break;
    await p.goBack();
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal((await p.locator(".figures dd").nth(2).textContent()).trim(), "2", "two exchanges this month");
  assert.equal((await p.locator(".figures dd").nth(3).textContent()).trim(), "3.75 h");
  assert.match(await p.locator(".charts svg").first().getAttribute("aria-label"), /^Volume by month \(h\): .* 3\.75$/);

  // Offers and wants: the baker's offer is found by a word, accents aside, and paid in one step.
  await api("POST", `/api/v1/currencies/${currency}/listings`,
            { kind: "offer", title: "Pain de campagne", description: "Levain, cuit le samedi.", category: "food", price: 50, account_id: baker });
  await p.goto(`${base}/currencies/${currency}/listings`);
  await p.getByLabel("Words").fill("CAMPAGNE");
  await p.getByLabel("Category").first().selectOption("food");
  await p.getByRole("button", { name: "Find" }).click();
  await p.getByText("1 found").waitFor();
  p.once("dialog", (d) => d.accept());
  await p.getByRole("button", { name: "Pay 0.50 h" }).click();
  await p.getByText("Paid 0.50 h to Baker.").waitFor();
  // And the gardener posts an offer of their own, which the list then shows.
  await p.getByLabel("Title").fill("Taille de haies");
  await p.locator("#new-category").selectOption("garden");
  await p.getByLabel("Price (h, optional)").fill("1,5");
  await p.getByRole("button", { name: "Post", exact: true }).click();
  await p.getByText("Posted.").waitFor();
  await p.getByLabel("Words").fill("haies");
  await p.locator("#market-category").selectOption("");
  await p.getByRole("button", { name: "Find" }).click();
  await p.getByRole("heading", { name: "Taille de haies" }).waitFor();
  await p.getByText("Offer · Garden · Gardener · 1.50 h").waitFor();
  const after = await api("GET", `/api/v1/accounts/${mine}`);
  assert.equal(after.balance, -125);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a network admin runs a set-off of its firms' debts, reads the report and downloads what is left", async () => {
  const { p, errors, context } = await page("/sign-in");
  await signInAs(p, "staff@network.example");
  const regional = await (await fetch(`${base}/api/v1/organisations?network_scope=regional&limit=1`)).json();
  const id = regional.items[0].id;
  // The network's barter circuit, where its firms hold accounts under the names in the file.
  const api = staffApi();
  const circuit = (await api("POST", `/api/v1/organisations/${id}/currencies`,
                             { code: "CIRCUIT", name: "Circuit", unit: "cr", decimals: 0, default_credit_limit: 0 })).id;
  for (const name of ["Café Crème", "Boulangerie", "Menuiserie, Fils", "Imprimerie", "Librairie"]) {
    await api("POST", `/api/v1/organisations/${id}/currencies/${circuit}/accounts`, { name });
  }
  await p.goto(`${base}/networks/${id}`);
  await p.getByRole("link", { name: "Set-off of debts" }).click();
  await p.getByText("No set-off has been run yet.").waitFor();
  await p.getByLabel("Name of this run").fill("Invoices of November");
  // A bad line is named at the file's control; nothing is stored.
  const bad = "debtor,creditor,amount\nCafé Crème,Boulangerie,100\nBoulangerie,Café Crème,-5\n";
  await p.getByLabel("Obligations file (CSV)").setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
  await p.getByRole("button", { name: "Run the set-off" }).click();
  await p.locator("#error-file").getByText(/^Line 3: /).waitFor();
  assert.equal(await p.getByLabel("Obligations file (CSV)").getAttribute("aria-invalid"), "true");
  const csv = "debtor,creditor,amount\n" +
              "Café Crème,Boulangerie,100\nBoulangerie,\"Menuiserie, Fils\",80\n\"Menuiserie, Fils\",Café Crème,120\n" +
              "Imprimerie,Librairie,50\nLibrairie,Imprimerie,30\n";
  await p.getByLabel("Obligations file (CSV)").setInputFiles({ name: "november.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await p.getByLabel("Name of this run").press("Enter");  // the form works from the keyboard
  await p.getByRole("heading", { name: "Invoices of November" }).waitFor();
  const figures = await p.locator(".figures dd").allTextContents();
  assert.deepEqual(figures.slice(0, 5), ["5", "5", "380", "300 (78.9%)", "80"]);
  assert.match(await p.locator(".charts svg").first().getAttribute("aria-label"), /^Debt before and after: Total debt 380, Cleared 300, Still owed 80, Net internal debt 60$/);
  await p.getByText("5 of 5 firms shown").waitFor();
  await p.getByLabel("Find a firm").fill("cafe");
  await p.getByText("1 of 1 firms shown").waitFor();
  const row = p.locator("#setoff-firms tbody tr");
  assert.deepEqual((await row.locator("th, td").allTextContents()).map((s) => s.trim()), ["Café Crème", "100", "120", "80", "20", "40"]);
  // Recorded on each firm's statement in the circuit, balances unchanged; twice is once.
  await p.locator("#post-currency").selectOption({ label: "Circuit (CIRCUIT)" });
  await p.getByRole("button", { name: "Record the set-off" }).click();
  await p.getByText("Recorded for 5 firms (0 already recorded); 0 refused.").waitFor();
  await p.getByRole("button", { name: "Record the set-off" }).click();
  await p.getByText("Recorded for 0 firms (5 already recorded); 0 refused.").waitFor();
  const accounts = await api("GET", `/api/v1/organisations/${id}/currencies/${circuit}/accounts`);
  assert.ok(accounts.items.every((a) => a.balance === 0), "no balance changed");
  // What is left, in the file's own format, through the same session.
  const href = await p.getByRole("link", { name: "Download what is still owed (CSV)" }).getAttribute("href");
  const left = await p.evaluate(async (h) => (await fetch(h)).text(), href);
  assert.equal(left, "debtor,creditor,amount\nCafé Crème,Boulangerie,20\n\"Menuiserie, Fils\",Café Crème,40\nImprimerie,Librairie,20\n");
  // The run is listed on the network's set-off page, in French too.
  await p.getByRole("link", { name: /^← Set-off of debts/ }).click();
  await p.locator("#setoff-runs").getByRole("link", { name: "Invoices of November" }).waitFor();
  await p.getByLabel("Language").selectOption("fr");
  await p.getByRole("heading", { name: /^Compensation multilatérale/ }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});


test("a time bank member pays a shop in a linked local currency, seeing what will arrive", async () => {
  addUser("weaver@timebank.example");
  const api = staffApi();
  const bank = (await api("POST", "/api/v1/organisations", { name: "Temps partagé de Grenoble", country: "FR" })).id;
  const town = (await api("POST", "/api/v1/organisations", { name: "Cairn de Grenoble", country: "FR" })).id;
  const hours = (await api("POST", `/api/v1/organisations/${bank}/currencies`,
                           { code: "GRE-H", name: "Heures de Grenoble", unit: "h", decimals: 0, default_credit_limit: 10 })).id;
  const cairn = (await api("POST", `/api/v1/organisations/${town}/currencies`,
                           { code: "CAIRN", name: "Cairn", unit: "cairn", decimals: 2, default_credit_limit: 0 })).id;
  const member = (await api("POST", `/api/v1/organisations/${bank}/members`, { name: "Weaver", user_email: "weaver@timebank.example", joined_on: "2024-01-01" })).id;
  const mine = (await api("POST", `/api/v1/organisations/${bank}/currencies/${hours}/accounts`, { member_id: member, name: "Weaver" })).id;
  const shop = (await api("POST", `/api/v1/organisations/${town}/currencies/${cairn}/accounts`, { name: "Librairie du Square" })).id;
  // The admin of both communities links the two currencies from the time bank's page.
  const admin = await page("/sign-in");
  await signInAs(admin.p, "staff@network.example");
  await admin.p.goto(`${base}/organisations/${bank}/currencies/${hours}`);
  await admin.p.locator("#link-currency_b").selectOption({ label: "Cairn (CAIRN)" });
  await admin.p.getByLabel("1 h is worth how many cairn?").fill("1,5x");
  await admin.p.getByLabel("How far this community may owe in Cairn (cairn)").fill("1000");
  await admin.p.getByRole("button", { name: "Link the two currencies" }).click();
  await admin.p.locator("#link-rate-error").waitFor();
  assert.equal(await admin.p.getByLabel("1 h is worth how many cairn?").getAttribute("aria-invalid"), "true");
  await admin.p.getByLabel("1 h is worth how many cairn?").fill("15");
  await admin.p.getByRole("button", { name: "Link the two currencies" }).click();
  await admin.p.getByText("Cairn (CAIRN): 1 h = 15 cairn; its community's position here: 0 h").waitFor();
  assert.deepEqual(admin.errors, []);
  await admin.context.close();

  const { p, errors, context } = await page("/sign-in");
  await signInAs(p, "weaver@timebank.example");
  await p.goto(`${base}/accounts/${mine}`);
  await p.getByRole("heading", { name: "Pay someone in another community" }).waitFor();
  await p.getByText("Rate: 1 h = 15 cairn.", { exact: false }).waitFor();
  await p.locator("#trade-to option", { hasText: "Librairie du Square" }).waitFor({ state: "attached" });
  await p.locator("#trade-to").selectOption({ label: "Librairie du Square" });
  await p.locator("#trade-amount").fill("2");
  await p.getByText("They will receive 30.00 cairn.").waitFor();
  await p.locator("#trade-amount").press("Enter");
  await p.getByText("Paid 2 h; Librairie du Square received 30.00 cairn.").waitFor();
  await p.getByText("Balance −2 h").waitFor();
  await p.getByRole("cell", { name: /^Clearing: Cairn \(CAIRN\)/ }).waitFor();
  const shopAfter = await api("GET", `/api/v1/accounts/${shop}`);
  assert.equal(shopAfter.balance, 3000);
  // A price in the shop's unit: 16.00 cairn must arrive, which takes 2 hours (rounded up).
  await p.locator("#trade-to").selectOption({ label: "Librairie du Square" });
  await p.getByLabel("The amount is what they receive").check();
  await p.getByLabel("Amount they receive (cairn)").fill("16");
  await p.getByText("You will pay 2 h.").waitFor();
  await p.getByRole("button", { name: "Pay across" }).click();
  await p.getByText("Paid 2 h; Librairie du Square received 16.00 cairn.").waitFor();
  assert.equal((await api("GET", `/api/v1/accounts/${shop}`)).balance, 4600);
  await p.getByLabel("The amount is what they receive").uncheck();
  // Beyond the payer's credit limit of 10 h: refused in words, nothing arrives.
  await p.locator("#trade-to").selectOption({ label: "Librairie du Square" });
  await p.locator("#trade-amount").fill("9");
  await p.getByRole("button", { name: "Pay across" }).click();
  await p.getByText("Refused: this would take your account below its credit limit.").waitFor();
  assert.equal((await api("GET", `/api/v1/accounts/${shop}`)).balance, 4600);
  assert.deepEqual(errors, []);
  await context.close();
});

test("two communities with their own admins link their currencies by proposal and acceptance", async () => {
  addUser("sel@lyon.example");
  addUser("gonette@lyon.example");
  const api = staffApi();
  const sel = (await api("POST", "/api/v1/organisations", { name: "SEL de Lyon", country: "FR" })).id;
  const town = (await api("POST", "/api/v1/organisations", { name: "La Gonette", country: "FR" })).id;
  await api("POST", `/api/v1/organisations/${sel}/roles`, { email: "sel@lyon.example", role: "admin" });
  await api("POST", `/api/v1/organisations/${town}/roles`, { email: "gonette@lyon.example", role: "admin" });
  const grains = (await api("POST", `/api/v1/organisations/${sel}/currencies`,
                            { code: "SEL-LYON", name: "Grains de SEL", unit: "grain", decimals: 0, default_credit_limit: 100 })).id;
  const gonette = (await api("POST", `/api/v1/organisations/${town}/currencies`,
                             { code: "GONETTE", name: "Gonette", unit: "gonette", decimals: 2, default_credit_limit: 0 })).id;

  // The SEL's admin finds the other currency by its code and proposes the terms.
  const a = await page("/sign-in");
  await signInAs(a.p, "sel@lyon.example");
  await a.p.goto(`${base}/organisations/${sel}/currencies/${grains}`);
  await a.p.getByText("No proposal.").waitFor();
  await a.p.getByLabel("Their currency's code").fill("NOPE");
  await a.p.getByLabel("1 grain is worth how many of their units?").fill("2");
  await a.p.getByRole("button", { name: "Send the proposal" }).click();
  await a.p.locator("#propose-currency_b-error").getByText("No currency has this code.").waitFor();
  await a.p.getByLabel("Their currency's code").fill("gonette");
  await a.p.getByLabel("How far their community may owe here (grain)").fill("50");
  await a.p.getByLabel("How far this community may owe in theirs (in their unit)").fill("100");
  await a.p.getByLabel("A note for their admins").fill("Pour le marché de la Croix-Rousse");
  await a.p.getByRole("button", { name: "Send the proposal" }).click();
  await a.p.getByText("Proposed to Gonette (GONETTE): 1 grain = 2 gonette").waitFor();
  await a.p.getByText("waiting for an answer").waitFor();
  await a.p.getByText("How far they may owe here: 50 grain; how far this community may owe there: 100.00 gonette").waitFor();
  assert.equal(await a.p.getByRole("button", { name: "Accept and link" }).count(), 0, "the proposer cannot accept");
  assert.deepEqual(a.errors, []);
  await a.context.close();

  // The Gonette's admin reads it, in French, and accepts: the link is made with those terms.
  const b = await page("/sign-in");
  await signInAs(b.p, "gonette@lyon.example");
  await b.p.goto(`${base}/organisations/${town}/currencies/${gonette}`);
  await b.p.getByLabel("Language").selectOption("fr");
  await b.p.getByText("Proposé par Grains de SEL (SEL-LYON) : 1 grain = 2 gonette").waitFor();
  await b.p.getByText("Pour le marché de la Croix-Rousse").waitFor();
  await b.p.getByRole("button", { name: "Accepter et lier" }).click();
  await b.p.getByText("acceptée : liées").waitFor();
  const links = await api("GET", `/api/v1/currencies/${gonette}/links`);
  assert.equal(links.items.length, 1);
  assert.equal(links.items[0].rate, "2");
  const clearing = await api("GET", `/api/v1/accounts/${links.items[0].clearing_account_b.id}`);
  assert.equal(clearing.credit_limit, 10000, "the SEL may owe 100.00 gonette, as proposed");
  assert.deepEqual(b.errors, []);
  await b.context.close();
});

test("a community's admin creates its currency, opens accounts, changes limits, freezes and closes one", async () => {
  const api = staffApi();
  const org = (await api("POST", "/api/v1/organisations", { name: "SEL de la Croix-Rousse", country: "FR" })).id;
  await api("POST", `/api/v1/organisations/${org}/members`, { name: "Mireille Dupont", joined_on: "2024-01-01" });
  addUser("potter@sel.example");
  await api("POST", `/api/v1/organisations/${org}/members`, { name: "Paul Potier", joined_on: "2024-01-01", user_email: "potter@sel.example" });

  const { p, errors, context } = await page("/sign-in");
  await signInAs(p, "staff@network.example");
  await p.goto(`${base}/organisations/${org}`);
  await p.getByRole("link", { name: "Currencies" }).click();
  await p.getByText("No currency yet.").waitFor();
  await p.getByLabel("Code").fill("grain-cr");
  await p.getByLabel("Name").fill("Grains de la Croix-Rousse");
  await p.getByLabel("Unit").fill("grain");
  await p.getByLabel("Decimals").selectOption("2");
  await p.getByLabel("Credit limit").fill("100.005");
  await p.getByRole("button", { name: "Create the currency" }).click();
  await p.getByText("Give an amount of zero or more with at most 2 decimals.").waitFor();
  await p.getByLabel("Credit limit").fill("100");
  await p.getByLabel("Credit limit").press("Enter");
  await p.getByRole("heading", { name: "Grains de la Croix-Rousse (GRAIN-CR)" }).waitFor();
  await p.getByText("Defaults: credit limit 100.00 grain, upper limit none").waitFor();

  // An account for a member found by name, and a system account.
  await p.getByLabel("Find a member").fill("mireille");
  await p.locator("#open-member_id option", { hasText: "Mireille Dupont" }).waitFor({ state: "attached" });
  assert.equal(await p.getByLabel("Account name").inputValue(), "Mireille Dupont");
  await p.getByRole("button", { name: "Open the account" }).click();
  await p.getByText("Mireille Dupont's account is open.").waitFor();
  await p.getByLabel("Member", { exact: true }).selectOption("");
  await p.getByLabel("Account name").fill("Fonds commun");
  await p.getByRole("button", { name: "Open the account" }).click();
  await p.getByText("2 accounts").waitFor();
  const mireille = p.locator("#accounts tbody tr").filter({ hasText: "Mireille Dupont" });
  assert.deepEqual((await mireille.locator("th, td").allTextContents()).slice(0, 5), ["Mireille Dupont", "0.00", "100.00", "—", "open"]);

  // Her limits, then freeze, reopen and close.
  await mireille.getByRole("button", { name: "Limits" }).click();
  await p.getByRole("heading", { name: "Limits of Mireille Dupont's account" }).waitFor();
  await p.locator("#edit-credit_limit").fill("50");
  await p.locator("#edit-upper_limit").fill("500");
  await p.locator("#edit-upper_limit").press("Enter");
  await p.getByText("Mireille Dupont's limits are saved.").waitFor();
  assert.deepEqual((await mireille.locator("th, td").allTextContents()).slice(1, 5), ["0.00", "50.00", "500.00", "open"]);
  await mireille.getByRole("button", { name: "Freeze" }).click();
  await p.getByText("Mireille Dupont's account is frozen: it can neither pay nor receive.").waitFor();
  await mireille.getByRole("button", { name: "Reopen" }).click();
  await p.getByText("Mireille Dupont's account is open again.").waitFor();
  p.once("dialog", (d) => d.accept());
  await mireille.getByRole("button", { name: "Close" }).click();
  await p.getByText("Mireille Dupont's account is closed.").waitFor();
  assert.equal((await mireille.locator("td").nth(3).textContent()).trim(), "closed");
  const accounts = await api("GET", `/api/v1/organisations/${org}/currencies/${(await api("GET", `/api/v1/organisations/${org}/currencies`)).items[0].id}/accounts`);
  const stored = accounts.items.find((a) => a.name === "Mireille Dupont");
  assert.equal(stored.status, "closed");
  assert.equal(stored.credit_limit, 5000);
  assert.equal(stored.upper_limit, 50000);
  assert.deepEqual(errors, []);
  await context.close();

  // A member with a user account opens their own account from "My accounts".
  const member = await page("/sign-in");
  await signInAs(member.p, "potter@sel.example");
  await member.p.getByRole("link", { name: "My accounts" }).click();
  await member.p.getByText("You have no account yet.").waitFor();
  await member.p.getByRole("button", { name: "Open my account in Grains de la Croix-Rousse (GRAIN-CR)" }).click();
  await member.p.getByText("Your account in Grains de la Croix-Rousse is open.").waitFor();
  await member.p.getByRole("link", { name: "Grains de la Croix-Rousse (GRAIN-CR)" }).waitFor();
  assert.deepEqual(member.errors, []);
  await member.context.close();
});

test("a currency's admin reads an account's statement and reverses a transfer, with a reason", async () => {
  const api = staffApi();
  const org = (await api("POST", "/api/v1/organisations", { name: "SEL des Pentes", country: "FR" })).id;
  const cid = (await api("POST", `/api/v1/organisations/${org}/currencies`,
                         { code: "PENTES", name: "Grains des Pentes", unit: "grain", decimals: 2, default_credit_limit: 50000 })).id;
  const open = async (name) => (await api("POST", `/api/v1/organisations/${org}/currencies/${cid}/accounts`, { name })).id;
  const ines = await open("Inès Martin");
  const fund = await open("Fonds commun");
  await api("POST", "/api/v1/transfers", { id: "e2e-typo", debit_account: fund, credit_account: ines, amount: 12500, memo: "Atelier vélo" });
  await api("PATCH", `/api/v1/organisations/${org}/currencies/${cid}/accounts/${ines}`, { status: "frozen" });

  const { p, errors, context } = await page("/sign-in");
  await signInAs(p, "staff@network.example");
  await p.goto(`${base}/organisations/${org}/currencies/${cid}`);
  const row = p.locator("#accounts tbody tr").filter({ hasText: "Inès Martin" });
  await row.getByRole("button", { name: "Statement" }).click();
  await p.getByRole("heading", { name: "Statement of Inès Martin's account" }).waitFor();
  const entry = p.locator("section tbody tr").filter({ hasText: "Atelier vélo" });
  await entry.getByRole("button", { name: "Reverse" }).click();
  await p.getByRole("heading", { name: "Reverse 125.00 grain with Fonds commun" }).waitFor();
  await p.getByLabel("Reason").fill("Wrong amount: 12.50 was meant");
  await p.getByRole("button", { name: "Reverse the transfer" }).click();
  // Her account is frozen: the server refuses, and says what to do.
  await p.getByText("One of the accounts is frozen: reopen it first.").waitFor();
  await row.getByRole("button", { name: "Reopen" }).click();
  await p.getByText("Inès Martin's account is open again.").waitFor();
  await p.getByRole("button", { name: "Reverse the transfer" }).click();
  await p.getByText("Reversed: 125.00 grain went back.").waitFor();
  await p.locator("section tbody tr").filter({ hasText: "Reversal of e2e-typo: Wrong amount: 12.50 was meant" }).waitFor();
  assert.equal((await row.locator("td").first().textContent()).trim(), "0.00");
  // Stored: one transfer back, and reversing again moves nothing more.
  const fundEntries = await api("GET", `/api/v1/accounts/${fund}/entries`);
  assert.deepEqual(fundEntries.items.map((e) => e.change), [12500, -12500]);
  const again = await api("POST", "/api/v1/reversals", { reverses: "e2e-typo", reason: "Wrong amount: 12.50 was meant" });
  assert.equal(again.replayed, true);
  assert.equal((await api("GET", `/api/v1/accounts/${fund}`)).balance, 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("anyone simulates a loan: the schedule as a table and charts, bad terms shown at their fields, by keyboard", async () => {
  const { p, errors, context } = await page("/");
  await p.getByRole("link", { name: "Loan simulator" }).click();
  await p.getByRole("heading", { name: "Loan simulator" }).waitFor();
  await p.getByLabel("Amount lent").fill("10000");
  await p.getByLabel("Interest, percent a year").fill("12");
  await p.getByLabel("Number of instalments").fill("12");
  await p.getByLabel("First instalment due on").fill("2027-01-31");
  // Submitted with the keyboard.
  await p.getByLabel("First instalment due on").press("Enter");
  await p.locator("#loan-table tbody tr").nth(11).waitFor();
  assert.equal(await p.locator("#loan-table tbody tr").count(), 12);
  const first = await p.locator("#loan-table tbody tr").first().innerText();
  assert.match(first, /888\.49/);
  assert.match(await p.locator("#loan-table tbody tr").nth(11).innerText(), /888\.47/);
  assert.match(await p.locator("#loan-summary").innerText(), /661\.86/);
  assert.equal(await p.locator("#loan-result svg[role=img]").count(), 2, "principal and interest by year");

  // Caught in the page, and by the server: each at its field.
  await p.getByLabel("Amount lent").fill("12.345");
  await p.getByRole("button", { name: "Show the schedule" }).click();
  await p.locator("#error-amount").getByText("An amount such as 12500 or 12500.50.").waitFor();
  assert.equal(await p.getByLabel("Amount lent").getAttribute("aria-invalid"), "true");
  await p.getByLabel("Amount lent").fill("10000");
  await p.getByLabel("Grace on principal (periods)").fill("12");
  await p.getByRole("button", { name: "Show the schedule" }).click();
  await p.locator("#error-grace_principal:not([hidden])").waitFor();
  assert.equal(await p.evaluate(() => document.activeElement?.id), "field-grace_principal");

  // In French, with the decimal comma.
  await p.getByLabel("Grace on principal (periods)").fill("0");
  await p.locator("#lang").selectOption("fr");
  await p.getByRole("heading", { name: "Simulateur de prêt" }).waitFor();
  await p.getByLabel("Montant prêté").fill("10000");
  await p.getByLabel("Taux d’intérêt annuel (%)").fill("12");
  await p.getByLabel("Nombre d’échéances").fill("12");
  await p.getByLabel("Première échéance le").fill("2027-01-31");
  await p.getByRole("button", { name: "Afficher l’échéancier" }).click();
  await p.locator("#loan-table tbody tr").nth(11).waitFor();
  assert.match(await p.locator("#loan-table tbody tr").first().innerText(), /888,49/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a fund's admin creates a fund, records a backer's contribution once, and sees the pool and the capital by backer", async () => {
  const orgs = await (await fetch(`${base}/api/v1/organisations?limit=2&facets=false`)).json();
  const [fundOrg, backerOrg] = orgs.items;
  const { p, errors, context } = await page("/sign-in");
  await signInAs(p, "staff@network.example");
  await p.goto(`${base}/organisations/${fundOrg.id}`);
  await p.getByRole("link", { name: "Solidarity funds" }).click();
  await p.getByRole("heading", { name: "Solidarity funds", level: 1 }).waitFor();
  await p.getByText("No fund yet.").waitFor();
  await p.getByLabel("Name").fill("Fonds d'amorçage");
  await p.getByLabel("Code").fill("fonds-e2e");
  await p.getByRole("button", { name: "Create the fund" }).click();
  await p.getByRole("heading", { name: "Fonds d'amorçage (FONDS-E2E)" }).waitFor();

  // The backer, found by name.
  const fund = p.locator("section.fund").first();
  await fund.getByLabel("Backer", { exact: true }).fill(backerOrg.name.slice(0, 6));
  const option = fund.locator("datalist option").first();
  await option.waitFor({ state: "attached" });
  const value = await fund.locator("datalist option").evaluateAll((os, name) => os.map((o) => o.value).find((v) => v.startsWith(name)), backerOrg.name);
  assert.ok(value, "the backer is suggested");
  await fund.getByLabel("Backer", { exact: true }).fill(value);
  await fund.getByLabel("Amount", { exact: true }).fill("-3");
  await fund.getByLabel("Your reference").fill("virement-2027-01");
  await fund.getByRole("button", { name: "Record the contribution" }).click();
  await fund.getByText("A positive amount, such as 5000 or 5000.50.").waitFor();
  await fund.getByLabel("Amount", { exact: true }).fill("5000.50");
  await fund.getByRole("button", { name: "Record the contribution" }).click();
  await p.locator("[id$='-pool']").getByText("5,000.50 EUR").waitFor();
  assert.match(await p.locator("[id$='-capital']").innerText(), /5,000\.50 EUR/);
  assert.equal(await p.locator("section.fund svg[role=img]").count(), 1, "capital by backer");

  // The same reference again moves nothing.
  const again = p.locator("section.fund").first();
  await again.getByLabel("Backer", { exact: true }).fill(backerOrg.name.slice(0, 6));
  await again.locator("datalist option").first().waitFor({ state: "attached" });
  await again.getByLabel("Backer", { exact: true }).fill(value);
  await again.getByLabel("Amount", { exact: true }).fill("5000.50");
  await again.getByLabel("Your reference").fill("virement-2027-01");
  await again.getByRole("button", { name: "Record the contribution" }).click();
  await p.getByText("This contribution was already recorded: nothing moved.").waitFor();
  assert.match(await p.locator("[id$='-pool']").innerText(), /5,000\.50 EUR/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a cooperative applies for a loan; the fund's committee votes; staff sign the contract, disburse and record a repayment", async () => {
  const api = staffApi();
  const fundOrg = (await api("POST", "/api/v1/organisations", { name: "Fonds solidaire de Lyon", country: "FR" })).id;
  const backer = (await api("POST", "/api/v1/organisations", { name: "Fondation des Pentes", country: "FR" })).id;
  const bakery = (await api("POST", "/api/v1/organisations", { name: "Boulangerie du Plateau", country: "FR", primary_activity: "ICA30" })).id;
  const fund = (await api("POST", `/api/v1/organisations/${fundOrg}/funds`, { name: "Fonds d'amorçage", code: "FONDS-PRET", unit: "EUR", decimals: 2 })).id;
  await api("POST", `/api/v1/organisations/${fundOrg}/funds/${fund}/contributions`, { id: "dotation", backer, amount: 10000000 });

  const { p, errors, context } = await page("/sign-in");
  p.on("dialog", (d) => d.accept());
  await signInAs(p, "staff@network.example");
  // The fund's staff set a product, from the fund's page.
  await p.goto(`${base}/organisations/${fundOrg}/funds`);
  await p.locator(`#fund-${fund}-open`).click();
  await p.getByRole("heading", { name: "Fonds d'amorçage", level: 1 }).waitFor();
  await p.getByText("No loan product yet.").waitFor();
  const product = p.locator("#product-form");
  await product.getByLabel("Name", { exact: true }).fill("Prêt d'amorçage");
  await product.getByLabel("Interest rate a year (%)").fill("12");
  await product.getByLabel("Smallest amount").fill("1000");
  await product.getByLabel("Largest amount").fill("50000");
  await product.getByLabel("Longest term (instalments)").fill("60");
  await product.getByLabel("Longest grace (periods)").fill("60");
  await product.getByRole("button", { name: "Create the product" }).click();
  await product.locator("#error-product-grace_max").waitFor({ state: "visible" });  // as long as the term: the server says no, at the field
  await product.getByLabel("Longest grace (periods)").fill("12");
  await product.getByRole("button", { name: "Create the product" }).click();
  await p.getByText("The product is created.").waitFor();
  await p.locator("#products").getByText("Prêt d'amorçage").waitFor();

  // The bakery applies for itself.
  await p.goto(`${base}/organisations/${bakery}`);
  await p.getByRole("link", { name: "Apply for a loan" }).click();
  await p.getByRole("heading", { name: "Loans for this organisation" }).waitFor();
  const form = p.locator("#apply-form");
  await form.getByLabel("Amount", { exact: true }).fill("90000");
  await form.getByLabel("Instalments", { exact: true }).fill("12");
  await form.getByLabel("What the loan is for").fill("Un four à pain");
  await form.getByLabel("Jobs to be created").fill("2");
  await form.getByRole("button", { name: "Send the application" }).click();
  await form.locator("#error-apply-amount").waitFor({ state: "visible" });  // more than the product lends
  await form.getByLabel("Amount", { exact: true }).fill("10000");
  await form.getByRole("button", { name: "Send the application" }).click();
  await p.getByText("The application is sent. Attach the business plan to it below.").waitFor();
  await p.locator("#my-applications").getByText("Submitted").waitFor();
  // Its business plan: a web page saved as .pdf is refused, in words; the real PDF is attached.
  const files = p.locator("section.files-section");
  await files.getByText("No file yet.").waitFor();
  await files.getByLabel("File").setInputFiles({ name: "plan.pdf", mimeType: "application/pdf", buffer: Buffer.from("<html><script>alert(1)</script></html>") });
  await files.getByRole("button", { name: "Attach" }).click();
  await files.getByText("This file is not what its name says").waitFor();
  assert.equal(await files.getByLabel("File").getAttribute("aria-invalid"), "true");
  const plan = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
  await files.getByLabel("File").setInputFiles({ name: "Plan d'affaires.pdf", mimeType: "application/pdf", buffer: plan });
  await files.getByRole("button", { name: "Attach" }).click();
  await p.getByText("Plan d'affaires.pdf is attached.").waitFor();
  await p.locator("section.files-section").getByRole("link", { name: "Plan d'affaires.pdf" }).waitFor();

  // The committee votes in an assembly of the fund's organisation.
  const base_ = `/api/v1/organisations/${fundOrg}`;
  const members = [];
  for (const name of ["Inès", "João"]) members.push((await api("POST", `${base_}/members`, { name, joined_on: "2020-01-01" })).id);
  const meeting = await api("POST", `${base_}/assemblies`, { title: "Comité d'engagement", starts_at: "2027-01-10T18:00", timezone: "Europe/Paris",
                                                             place: "Siège", notice_days: 0, quorum_percent: 50, proxy_limit: 0,
                                                             items: [{ title: "Prêt à la Boulangerie du Plateau" }] });
  const token = execFileSync(bin, ["--db", db, "token", "create", "staff@network.example"]).toString().trim();
  const withVersion = async (path, body) => {
    const read = await fetch(`${base}${base_}/assemblies/${meeting.id}`, { headers: { Authorization: `Bearer ${token}` } });
    const r = await fetch(`${base}${path}`, { method: "POST", body: body ? JSON.stringify(body) : undefined,
                                             headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "If-Match": read.headers.get("etag") } });
    assert.ok(r.ok, `${path}: ${r.status} ${await r.text()}`);
  };
  await withVersion(`${base_}/assemblies/${meeting.id}/convene`);
  for (const m of members) await api("POST", `${base_}/assemblies/${meeting.id}/attendance`, { member_id: m, channel: "in_person" });
  await withVersion(`${base_}/assemblies/${meeting.id}/open`);
  await api("POST", `${base_}/assemblies/${meeting.id}/items/${meeting.items[0].id}/decision`, { yes: 2, no: 0, abstain: 0 });

  // The fund's pipeline, the application, the decision, the contract.
  await p.goto(`${base}/organisations/${fundOrg}/funds/${fund}`);
  await p.locator("#pipeline").getByRole("link", { name: "Boulangerie du Plateau" }).click();
  await p.getByRole("heading", { name: "Boulangerie du Plateau — 10,000.00 EUR" }).waitFor();
  // The committee reads the plan as the bakery sent it, byte for byte, as a download.
  const planLink = p.locator("#application-files").getByRole("link", { name: "Plan d'affaires.pdf" });
  const got = await p.evaluate(async (href) => {
    const r = await fetch(href);
    return { body: await r.text(), disposition: r.headers.get("content-disposition") };
  }, await planLink.getAttribute("href"));
  assert.equal(got.body, plan.toString());
  assert.match(got.disposition, /^attachment;/);
  await p.getByLabel("A review note").fill("Plan solide.");
  await p.getByRole("button", { name: "Add the note" }).click();
  await p.getByText("The note is added.").waitFor();
  await p.locator("#notes").getByText("Plan solide.").waitFor();
  await p.getByRole("button", { name: "Put in review" }).click();
  await p.locator("#application-stage").getByText("In review").waitFor();
  await p.getByLabel("The committee's vote").selectOption({ index: 0 });
  await p.getByRole("button", { name: "Record the decision" }).click();
  await p.getByText("The decision is recorded.").waitFor();
  await p.locator("#application-stage").getByText("Approved").waitFor();
  await p.locator("#application-files").getByText("The application is decided or withdrawn: its files stay as they were.").waitFor();
  assert.equal(await p.locator("#application-files form").count(), 0);
  // Started on the 1st two months ago, so that the first instalment fell due last month.
  const now = new Date();
  const day = (monthsAgo) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsAgo, 1)).toISOString().slice(0, 10);
  const start = day(2), firstDue = day(1);
  await p.getByLabel("Start of the loan").fill(start);
  await p.getByRole("button", { name: "Sign the contract" }).click();

  // The loan: its schedule, a disbursement, a repayment recorded once.
  await p.locator("#schedule").waitFor();
  assert.equal(await p.locator("#schedule tbody tr").count(), 12);
  assert.match(await p.locator("#schedule tbody tr").first().innerText(), new RegExp(`${firstDue}\\s+788\\.49 EUR\\s+100\\.00 EUR\\s+888\\.49 EUR`));
  await p.locator("#disburse-1").click();
  await p.getByText("The tranche is disbursed.").waitFor();
  await p.locator("#loan-disbursed").getByText("10,000.00 EUR").waitFor();
  const repay = p.locator("#repay-form");
  await repay.getByLabel("Amount", { exact: true }).fill("888.49");
  await repay.getByLabel("Paid on").fill(firstDue);
  await repay.getByLabel("Reference").fill("virement-fevrier");
  await repay.getByRole("button", { name: "Record the repayment" }).click();
  await p.getByText("The repayment is recorded.").waitFor();
  await p.locator("#repayments").getByText("virement-fevrier").waitFor();
  assert.match(await p.locator("#schedule tbody tr").first().innerText(), new RegExp(`888\\.49 EUR\\s+${firstDue}\\s*$`));  // paid in full, on its day
  await repay.getByLabel("Amount", { exact: true }).fill("888.49");
  await repay.getByLabel("Paid on").fill(firstDue);
  await repay.getByLabel("Reference").fill("virement-fevrier");
  await repay.getByRole("button", { name: "Record the repayment" }).click();
  await p.getByText("This repayment was already recorded: nothing moved twice.").waitFor();
  assert.equal(await p.locator("#repayments tbody tr").count(), 1);
  // Rescheduled from today over six months: what was paid stays, the rest is a new schedule.
  const resched = p.locator("#reschedule-form");
  await resched.getByLabel("Instalments", { exact: true }).fill("6");
  await resched.getByRole("button", { name: "Reschedule the loan" }).click();
  await p.getByText("The loan is rescheduled.").waitFor();
  assert.equal(await p.locator("#schedule tbody tr").count(), 1 + 6);

  // The fund's portfolio counts it, with the bakery's jobs.
  await p.getByRole("link", { name: "Fonds d'amorçage" }).click();
  await p.locator("#portfolio-loans").getByText("1").waitFor();
  assert.match(await p.locator("#portfolio-jobs_created").innerText(), /^2$/);
  assert.ok(await p.locator("#portfolio svg[role=img]").count() >= 2, "jobs by country and by sector");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a co-operative's secretary keeps the share capital: a class, a subscription paid in two instalments, a certificate; the member sees theirs", async () => {
  addUser("lea@scop.example");
  const api = staffApi();
  const org = (await api("POST", "/api/v1/organisations", { name: "Scop des Pentes", country: "FR" })).id;
  await api("POST", `/api/v1/organisations/${org}/member-classes`, { code: "worker", name: "Salariés" });
  await api("POST", `/api/v1/organisations/${org}/members`, { name: "Léa Martin", number: "7", class: "worker", joined_on: "2020-01-01", user_email: "lea@scop.example" });

  const { p, errors, context } = await page("/sign-in");
  await signInAs(p, "staff@network.example");
  await p.goto(`${base}/organisations/${org}`);
  await p.getByRole("link", { name: "Share capital" }).click();
  await p.getByLabel("Ledger code").fill("parts-pentes");
  await p.getByRole("button", { name: "Open the register" }).click();
  await p.getByText("The register of share capital is open.").waitFor();
  const cls = p.locator("#class");
  await cls.getByLabel("Code", { exact: true }).fill("a");
  await cls.getByLabel("Name", { exact: true }).fill("Parts A");
  await cls.getByLabel("Nominal value of one share").fill("-5");
  await cls.getByRole("button", { name: "Create the class" }).click();
  await cls.getByText("An amount such as 100 or 100.50.").waitFor();
  await cls.getByLabel("Nominal value of one share").fill("100");
  await cls.getByLabel("Member class (code)").fill("worker");
  await cls.getByRole("button", { name: "Create the class" }).click();
  await p.getByText("The share class is created.").waitFor();
  const sub = p.locator("#subscribe");
  await sub.getByLabel("Shares", { exact: true }).fill("30");
  await sub.getByRole("button", { name: "Record the subscription" }).click();
  await p.getByText("The subscription is recorded.").waitFor();
  const pay = p.locator("#pay");
  await pay.getByLabel("Amount", { exact: true }).fill("1000");
  await pay.getByLabel("Reference").fill("janvier");
  await pay.getByRole("button", { name: "Record the payment" }).click();
  await p.getByText("The payment is recorded.").waitFor();
  await p.locator("#pay").getByLabel("Amount", { exact: true }).fill("2000.01");
  await p.locator("#pay").getByLabel("Reference").fill("fevrier");
  await p.locator("#pay").getByRole("button", { name: "Record the payment" }).click();
  await p.locator("#error-pay-amount").waitFor({ state: "visible" });  // more than is left to pay
  await p.locator("#pay").getByLabel("Amount", { exact: true }).fill("2000");
  await p.locator("#pay").getByRole("button", { name: "Record the payment" }).click();
  await p.getByText("Paid in full: certificate no. 1 is issued.").waitFor();
  assert.match(await p.locator("#shares-capital").innerText(), /3,000\.00 EUR/);
  assert.match(await p.locator("#holdings").innerText(), /Léa Martin\s+7\s+a\s+30/);
  assert.equal(await p.locator("svg[role=img]").count(), 1, "capital by member");

  // The year's surplus: a draft, the assembly's vote, posted.
  await p.goto(`${base}/organisations/${org}`);
  await p.getByRole("link", { name: "Surplus allocation" }).click();
  await p.getByLabel("Distributable surplus", { exact: true }).fill("1000");
  await p.getByLabel("Reserve (%)", { exact: true }).fill("120");
  await p.getByLabel("Work or use of Léa Martin").fill("1600");
  await p.getByRole("button", { name: "Compute the draft" }).click();
  await p.locator("#error-surplus-reserve_bp").waitFor({ state: "visible" });  // over 100 %: the server says so, at the field
  await p.getByLabel("Reserve (%)", { exact: true }).fill("20");
  await p.getByRole("button", { name: "Compute the draft" }).click();
  await p.getByText("The draft is computed: review it, then put it to the assembly.").waitFor();
  assert.match(await p.locator("#allocation-reserve").innerText(), /200\.00 EUR/);
  assert.match(await p.locator("#allocation-lines").innerText(), /Léa Martin\s+1600\s+3,000\.00 EUR\s+0\.00 EUR\s+800\.00 EUR/);
  const lea = (await api("GET", `/api/v1/organisations/${org}/members`)).items[0].id;
  const meeting = await api("POST", `/api/v1/organisations/${org}/assemblies`, { title: "AG 2027", starts_at: "2027-05-10T18:00", timezone: "Europe/Paris",
                                                                             place: "Atelier", notice_days: 0, quorum_percent: 50, proxy_limit: 0,
                                                                             items: [{ title: "Affectation du résultat" }] });
  const token = execFileSync(bin, ["--db", db, "token", "create", "staff@network.example"]).toString().trim();
  const step = async (what) => {
    const path = `/api/v1/organisations/${org}/assemblies/${meeting.id}`;
    const read = await fetch(base + path, { headers: { Authorization: `Bearer ${token}` } });
    const r = await fetch(`${base}${path}/${what}`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "If-Match": read.headers.get("etag") } });
    assert.ok(r.ok, `${what}: ${r.status} ${await r.text()}`);
  };
  await step("convene");
  await api("POST", `/api/v1/organisations/${org}/assemblies/${meeting.id}/attendance`, { member_id: lea, channel: "in_person" });
  await step("open");
  await api("POST", `/api/v1/organisations/${org}/assemblies/${meeting.id}/items/${meeting.items[0].id}/decision`, { yes: 1, no: 0, abstain: 0 });
  await p.reload();
  await p.getByLabel("Agenda item voted").selectOption({ index: 0 });
  await p.getByRole("button", { name: "Record the vote" }).click();
  await p.getByText("The assembly's vote is recorded.").waitFor();
  await p.getByRole("button", { name: "Post it to the ledger" }).click();
  await p.getByText("The allocation is posted: what each member is owed is on the ledger.").waitFor();
  await p.getByRole("heading", { name: /Allocation \d+ — posted/ }).waitFor();
  await context.close();

  const member = await page("/sign-in");
  await signInAs(member.p, "lea@scop.example");
  await member.p.getByRole("link", { name: "My shares" }).click();
  await member.p.getByText("You hold 30 paid-up shares.").waitFor();
  await member.p.getByText(/Certificate no\. 1: 30 shares of class a/).waitFor();
  await member.p.getByText(`${new Date().getUTCFullYear() - 1}: refund 800.00 EUR, interest on capital 0.00 EUR`).waitFor();  // last year's allocation, posted
  assert.deepEqual([...errors, ...member.errors], []);
  await member.context.close();
});

test("on a phone, a savings group's secretary starts a group, records a meeting member by member (an absent member's shares refused), and a tontine's round; a member sees theirs", async () => {
  addUser("awa@jigiya.example");
  const api = staffApi();
  const org = (await api("POST", "/api/v1/organisations", { name: "Association Jigiya", country: "ML" })).id;
  for (const [name, email] of [["Awa Diarra", "awa@jigiya.example"], ["Binta Keita", undefined], ["Coumba Traoré", undefined]]) {
    await api("POST", `/api/v1/organisations/${org}/members`, { name, joined_on: "2020-01-01", ...(email ? { user_email: email } : {}) });
  }
  const { p, errors, context } = await page("/sign-in", { viewport: { width: 390, height: 800 }, isMobile: true, hasTouch: true });
  await signInAs(p, "staff@network.example");
  await p.goto(`${base}/organisations/${org}`);
  await p.getByRole("link", { name: "Savings groups and tontines" }).click();
  const g = p.locator("#group");
  await g.getByLabel("Name", { exact: true }).fill("Jigiya 1");
  await g.getByLabel("Value of a share").fill("500");
  await g.getByLabel("Social fund contribution").fill("100");
  await g.getByRole("button", { name: "Start the group" }).click();
  await g.locator("#error-group-members").waitFor({ state: "visible" });  // no member chosen: the server says so at the list
  for (const name of ["Awa Diarra", "Binta Keita", "Coumba Traoré"]) await g.getByLabel(name).check();
  await g.getByRole("button", { name: "Start the group" }).click();
  await p.getByRole("heading", { name: "Jigiya 1" }).waitFor();

  // Meeting 1, entered from the paper book: Coumba was absent but her shares were written in.
  const card = (name) => p.locator("#meeting fieldset.member-card").filter({ has: p.locator("legend", { hasText: name }) });
  await card("Awa Diarra").getByLabel("Shares bought").selectOption("5");
  await card("Binta Keita").getByLabel("Shares bought").selectOption("3");
  await card("Binta Keita").getByLabel("New loan").fill("2000");
  await card("Coumba Traoré").getByLabel("Present").uncheck();
  await card("Coumba Traoré").getByLabel("Shares bought").selectOption("2");
  await p.getByRole("button", { name: "Record the meeting" }).click();
  const refused = card("Coumba Traoré").locator(".field-error").filter({ hasText: /present/ });
  await refused.waitFor();
  assert.equal(await card("Coumba Traoré").getByLabel("Shares bought").getAttribute("aria-invalid"), "true");
  await card("Coumba Traoré").getByLabel("Shares bought").selectOption("0");
  await p.getByRole("button", { name: "Record the meeting" }).click();
  await p.getByText("Meeting 1 recorded.").waitFor();
  const figs = await p.locator("#group-figures").innerText();
  assert.match(figs, /Loan fund \(in the box\)\s+2,000 XOF/);  // 4,000 of shares, 2,000 lent
  assert.match(figs, /Social fund\s+200 XOF/);                // the two present paid it
  assert.match(await p.locator("#group-positions").innerText(), /Binta Keita\s+3\s+1,500 XOF\s+2,000 XOF/);
  assert.ok(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), "the page fits the phone's width");
  // The meeting is on the group's ledger book: the box and the social fund hold what the register says.
  await p.getByRole("link", { name: "The group's ledger book (loan fund, social fund)" }).click();
  await p.getByRole("row", { name: /Loan fund \(the box\)/ }).waitFor();
  assert.match(await p.getByRole("row", { name: /Loan fund \(the box\)/ }).innerText(), /^Loan fund \(the box\) \(system\)\s+2,000\s/);
  assert.match(await p.getByRole("row", { name: /Social fund/ }).innerText(), /\s200\s/);
  await p.goBack();
  await p.getByRole("heading", { name: "Jigiya 1" }).waitFor();

  // A tontine in fixed order: the first round, Coumba's contribution covered by Binta.
  await p.getByRole("link", { name: "← Savings groups and tontines" }).click();
  const tf = p.locator("#tontine");
  await tf.getByLabel("Name", { exact: true }).fill("Tontine du marché");
  await tf.getByLabel("Contribution each round").fill("10000");
  for (const name of ["Awa Diarra", "Binta Keita", "Coumba Traoré"]) await tf.getByLabel(name).check();
  await tf.getByRole("button", { name: "Start the tontine" }).click();
  await p.getByRole("heading", { name: "Tontine du marché" }).waitFor();
  assert.match(await p.locator("#round-recipient").innerText(), /Awa Diarra takes the pot/);
  const rcard = (name) => p.locator("#round fieldset.member-card").filter({ has: p.locator("legend", { hasText: name }) });
  await rcard("Coumba Traoré").getByLabel("Missed the contribution").check();
  await rcard("Coumba Traoré").getByLabel("Covered by").selectOption({ label: "Binta Keita" });
  await p.getByRole("button", { name: "Record the round" }).click();
  await p.getByText("Round 1 recorded.").waitFor();
  assert.match(await p.locator("#tontine-positions").innerText(), /Coumba Traoré\s+0 XOF\s+0 XOF\s+10,000 XOF/);
  assert.match(await p.locator("#round-recipient").innerText(), /Binta Keita takes the pot/);
  // The positions as they stood before the first round: nothing paid in yet.
  await p.locator("#positions-as_of").fill("2020-01-01");
  await p.getByRole("button", { name: "Show" }).click();
  await p.getByText("As of 2020-01-01: 0 rounds held.").waitFor();
  assert.match(await p.locator("#tontine-positions").innerText(), /Coumba Traoré\s+0 XOF\s+0 XOF\s+0 XOF/);
  assert.deepEqual(errors, []);
  await context.close();

  // Awa's own view.
  const member = await page("/sign-in", { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  await signInAs(member.p, "awa@jigiya.example");
  await member.p.getByRole("link", { name: "My groups" }).click();
  await member.p.getByText("5 shares, 2,500 XOF saved (cycle 1).").waitFor();
  await member.p.getByText("You took the pot in round 1.").waitFor();
  assert.deepEqual(member.errors, []);
  await member.context.close();
});

test("a solidarity group's loan is shared among its members and collected at a meeting on a phone, one member covered by another", async () => {
  const api = staffApi();
  const token = execFileSync(bin, ["--db", db, "token", "create", "staff@network.example"]).toString().trim();
  const withEtag = async (read, path, body) => {
    const now = await fetch(base + read, { headers: { Authorization: `Bearer ${token}` } });
    const r = await fetch(base + path, { method: "POST", body: body ? JSON.stringify(body) : undefined,
                                         headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "If-Match": now.headers.get("etag") } });
    const text = await r.text();
    assert.ok(r.ok, `${path}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  const fundOrg = (await api("POST", "/api/v1/organisations", { name: "Caisse solidaire de Thiès", country: "SN" })).id;
  const groupOrg = (await api("POST", "/api/v1/organisations", { name: "Groupement Jappo", country: "SN" })).id;
  const fb = `/api/v1/organisations/${fundOrg}`;
  const fund = (await api("POST", `${fb}/funds`, { name: "Microcrédit", code: "MICRO-THIES", unit: "XOF", decimals: 0 })).id;
  const fp = `${fb}/funds/${fund}`;
  await api("POST", `${fp}/contributions`, { id: "dotation", backer: fundOrg, amount: 10000000 });
  const product = (await api("POST", `${fp}/products`, { name: "Crédit solidaire", method: "flat", period: "weekly", annual_rate_ppm: 200000,
                                                        principal_min: 10000, principal_max: 5000000, instalments_max: 52 })).id;
  const app = (await api("POST", `${fp}/applications`, { product_id: product, organisation_id: groupOrg, amount: 300000, instalments: 10, purpose: "Petit commerce" })).id;
  const committee = (await api("POST", `${fb}/members`, { name: "Comité", joined_on: "2020-01-01" })).id;
  const meeting = await api("POST", `${fb}/assemblies`, { title: "Comité de crédit", starts_at: "2027-01-10T18:00", timezone: "Africa/Dakar", place: "Siège",
                                                          notice_days: 0, quorum_percent: 50, proxy_limit: 0, items: [{ title: "Crédit Jappo" }] });
  const a = `${fb}/assemblies/${meeting.id}`;
  await withEtag(a, `${a}/convene`);
  await api("POST", `${a}/attendance`, { member_id: committee, channel: "in_person" });
  await withEtag(a, `${a}/open`);
  await api("POST", `${a}/items/${meeting.items[0].id}/decision`, { yes: 1, no: 0, abstain: 0 });
  await withEtag(`${fp}/applications/${app}`, `${fp}/applications/${app}/decision`, { assembly_id: meeting.id, item_id: meeting.items[0].id });
  // Lent three weeks ago: the first instalments have fallen due.
  const start = new Date(Date.now() - 21 * 86400000).toISOString().slice(0, 10);
  const loan = (await api("POST", `${fp}/applications/${app}/contract`, { start_on: start })).id;
  await api("POST", `${fp}/loans/${loan}/disbursements`, { tranche: 1, on: start });
  for (const name of ["Aïcha Ndiaye", "Bineta Fall", "Coumba Sarr"]) await api("POST", `/api/v1/organisations/${groupOrg}/members`, { name, joined_on: "2020-01-01" });

  const { p, errors, context } = await page("/sign-in", { viewport: { width: 390, height: 800 }, isMobile: true, hasTouch: true });
  await signInAs(p, "staff@network.example");
  await p.goto(`${base}/organisations/${fundOrg}/funds/${fund}/loans/${loan}`);
  const parts = p.locator("#group-parts");
  await parts.getByLabel("Aïcha Ndiaye").fill("100000");
  await parts.getByLabel("Bineta Fall").fill("100000");
  await parts.getByRole("button", { name: "Share the loan" }).click();
  await parts.getByText(/add up to 200000/).waitFor();  // the server: the parts must make the loan
  await parts.getByLabel("Coumba Sarr").fill("100000");
  await parts.getByRole("button", { name: "Share the loan" }).click();
  await p.getByText("The loan is shared among the group's members.").waitFor();
  assert.equal(await p.locator("#collection-sheet tbody tr").count(), 3);

  // The meeting: Coumba cannot pay; Aïcha pays her part for her.
  const card = (name) => p.locator("#group-meeting fieldset.member-card").filter({ has: p.locator("legend", { hasText: name }) });
  const coumbaDue = await card("Coumba Sarr").getByLabel("Paid", { exact: true }).inputValue();
  assert.ok(Number(coumbaDue) > 30000, `three weeks due: ${coumbaDue}`);
  await card("Coumba Sarr").getByLabel("Paid by").selectOption({ label: "Aïcha Ndiaye" });
  await card("Bineta Fall").getByLabel("Paid", { exact: true }).fill("-1");
  await p.getByRole("button", { name: "Record the collection" }).click();
  await card("Bineta Fall").locator(".field-error").filter({ hasText: /positive amount/ }).waitFor();
  await card("Bineta Fall").getByLabel("Paid", { exact: true }).fill("");  // Bineta pays nothing this week
  await p.getByRole("button", { name: "Record the collection" }).click();
  await p.getByText("Meeting 1's collection is recorded.").waitFor();
  const sheet = await p.locator("#collection-sheet").innerText();
  assert.match(sheet, new RegExp(`Aïcha Ndiaye\\s+100,000 XOF\\s+0 XOF\\s+[\\d,]+ XOF\\s+0 XOF\\s+0\\s+${Number(coumbaDue).toLocaleString("en-GB")} XOF`));
  assert.match(sheet, new RegExp(`Coumba Sarr\\s+100,000 XOF\\s+0 XOF[^\\n]*${Number(coumbaDue).toLocaleString("en-GB")} XOF$`, "m"));
  assert.match(await p.locator("#group-loan-figures").innerText(), /Members in arrears\s+1 \/ 3/);  // Bineta: the group's arrears
  assert.match(await p.locator("#loan-facts").innerText(), /In arrears\s+[1-9]/);  // the group loan itself
  assert.deepEqual(errors, []);
  await context.close();
});

test("a network's editor writes a resource, its admin publishes it, and no script in it ever runs in a reader's browser", async () => {
  addUser("editor@ripess.example");
  const api = staffApi();
  const ripess = (await api("POST", "/api/v1/organisations", { name: "RIPESS Europe", country: "BE" })).id;
  const shop = (await api("POST", "/api/v1/organisations", { name: "Épicerie du Lac", country: "FR" })).id;
  await api("POST", `/api/v1/organisations/${ripess}/roles`, { email: "editor@ripess.example", role: "editor" });

  // The editor starts a draft from the organisation's page.
  const { p, errors, context } = await page("/sign-in");
  let dialogs = 0;
  p.on("dialog", (d) => { dialogs++; d.dismiss(); });
  await signInAs(p, "editor@ripess.example");
  await p.goto(`${base}/organisations/${ripess}`);
  await p.locator("#main").getByRole("link", { name: "Library" }).click();
  await p.getByRole("heading", { name: "Library: our resources" }).waitFor();
  await p.getByText("No resource yet.").waitFor();
  const start = p.locator("#new-resource");
  await start.getByLabel("Type").selectOption("good_practice");
  await start.getByLabel("Title").fill("L'épicerie du Lac");
  await start.getByLabel("Language").selectOption("fr");
  await start.getByRole("button", { name: "Start the draft" }).click();
  await p.getByRole("heading", { name: "L'épicerie du Lac", level: 1 }).waitFor();

  // Its text tries every way to run a script; the preview shows the text, and nothing runs.
  const form = p.locator("#resource-form");
  await form.getByLabel("Summary").fill("Une épicerie solidaire au bord du lac.");
  await form.getByLabel("Text (Markdown)").fill([
    "## Une histoire", "", "Les *habitants* ont ouvert une épicerie.", "",
    "<script>window.__pwned = 'script'</script>", "",
    "<img src=x onerror=\"window.__pwned = 'img'\">", "",
    "[Cliquez ici](javascript:window.__pwned='link')", "",
    "<a href=\"javascript:window.__pwned='a'\">lien</a> <svg onload=\"window.__pwned='svg'\"></svg>",
  ].join("\n"));
  await form.getByLabel("Food security and sovereignty").check();
  await form.getByLabel("Countries").fill("fr, sn");
  await form.getByLabel("Organisations it is about").fill(String(shop));
  await form.getByLabel("Countries").fill("fr, fr");
  await form.getByRole("button", { name: "Save" }).click();
  await p.locator("#error-countries").waitFor({ state: "visible" });  // the server names the field
  await form.getByLabel("Countries").fill("fr, sn");
  await form.getByRole("button", { name: "Save" }).click();
  await p.getByText("Saved.").waitFor();
  await p.locator("#preview h2").getByText("Une histoire").waitFor();
  await p.waitForTimeout(300);  // an image's onerror would have fired by now
  assert.equal(await p.evaluate(() => window.__pwned), undefined);
  const hrefs = await p.locator("#preview a").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
  assert.ok(hrefs.length > 0 && hrefs.every((h) => !/^\s*(javascript|vbscript|data):/i.test(h)), hrefs.join(" "));

  // A file that says it is a PDF and is not is refused; a real one is attached.
  const files = p.locator("#resource-files");
  await files.getByLabel("File").setInputFiles({ name: "guide.pdf", mimeType: "application/pdf", buffer: Buffer.from("<html><script>alert(1)</script></html>") });
  await files.getByRole("button", { name: "Attach" }).click();
  await files.getByText("This file is not what its name says").waitFor();
  await files.getByLabel("File").setInputFiles({ name: "guide.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n") });
  await files.getByRole("button", { name: "Attach" }).click();
  await p.getByText("guide.pdf is attached.").waitFor();

  // To review; an editor does not publish.
  await p.getByRole("button", { name: "Send to review" }).click();
  await p.getByText("Sent to review.").waitFor();
  assert.equal(await p.getByRole("button", { name: "Publish" }).count(), 0);
  const rid = Number(p.url().split("/").pop());
  await context.close();

  // The admin publishes it, with a word for the history.
  const admin = await page("/sign-in");
  await signInAs(admin.p, "staff@network.example");
  await admin.p.goto(`${base}/organisations/${ripess}/library/${rid}`);
  await admin.p.getByLabel("Note for the history").fill("Très clair, merci.");
  await admin.p.getByRole("button", { name: "Publish" }).click();
  await admin.p.getByText("Published: everyone can read it now.").waitFor();
  await admin.p.locator("#history").getByText("Très clair, merci.").waitFor();
  await admin.context.close();

  // Anyone reads it, signed in or not: the text as written, the file, the shop's page links to it.
  const reader = await page(`/library/${rid}`, { locale: "fr-FR" });
  let readerDialogs = 0;
  reader.p.on("dialog", (d) => { readerDialogs++; d.dismiss(); });
  await reader.p.getByRole("heading", { name: "L'épicerie du Lac", level: 1 }).waitFor();
  await reader.p.locator("#resource-body h2").getByText("Une histoire").waitFor();
  await reader.p.locator("#resource-files").getByRole("link", { name: "guide.pdf" }).waitFor();
  await reader.p.waitForTimeout(300);
  assert.equal(await reader.p.evaluate(() => window.__pwned), undefined);
  const readerHrefs = await reader.p.locator("#resource-body a").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
  assert.ok(readerHrefs.every((h) => !/^\s*(javascript|vbscript|data):/i.test(h)), readerHrefs.join(" "));
  await reader.p.locator("#resource-body").getByRole("link", { name: "Cliquez ici" }).click();  // goes nowhere harmful
  await reader.p.getByRole("heading", { name: "L'épicerie du Lac", level: 1 }).waitFor();
  assert.equal(await reader.p.evaluate(() => window.__pwned), undefined);
  assert.equal(await reader.p.locator("#resource-body script, #resource-body img, #resource-body svg").count(), 0);
  await reader.p.goto(`${base}/organisations/${shop}`);
  await reader.p.locator("#resources-about").getByRole("link", { name: "L'épicerie du Lac" }).click();
  await reader.p.getByRole("heading", { name: "L'épicerie du Lac", level: 1 }).waitFor();
  assert.equal(await reader.p.evaluate(() => window.__pwned), undefined);
  // The library's search, in French: words without accents find it, a facet narrows.
  await reader.p.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Bibliothèque" }).click();
  await reader.p.getByLabel("Chercher dans la bibliothèque").fill("EPICERIE lac");
  await reader.p.getByRole("button", { name: "Chercher" }).click();
  await reader.p.waitForURL(/q=EPICERIE/);
  await reader.p.locator("#library-total").getByText("Ressources trouvées : 1").waitFor();
  await reader.p.locator("#facet-type").getByLabel(/Bonne pratique/).check();
  await reader.p.waitForURL(/type=good_practice/);
  await reader.p.locator("#library-results").getByRole("link", { name: "L'épicerie du Lac" }).click();
  await reader.p.locator("#resource-body h2").getByText("Une histoire").waitFor();
  await reader.p.goto(`${base}/library?q=zzzz`);
  await reader.p.getByText("Rien trouvé : essayez d'autres mots ou moins de filtres.").waitFor();
  assert.equal(dialogs + readerDialogs, 0);
  assert.deepEqual(errors, []);
  assert.deepEqual(reader.errors, []);
  await reader.context.close();
});

test("an organiser publishes an event with one place; one person registers by keyboard, the next waits on a phone and gets the place when it frees; no script in it runs", async () => {
  addUser("organiser@academy.example");
  addUser("ana@coop.example");
  addUser("bruno@coop.example");
  const api = staffApi();
  const academy = (await api("POST", "/api/v1/organisations", { name: "SSE Academy", country: "PT" })).id;
  await api("POST", `/api/v1/organisations/${academy}/roles`, { email: "organiser@academy.example", role: "editor" });

  // The organiser starts a draft from the organisation's page.
  const { p, errors, context } = await page("/sign-in");
  await signInAs(p, "organiser@academy.example");
  await p.goto(`${base}/organisations/${academy}`);
  await p.locator("#main").getByRole("link", { name: "Events", exact: true }).click();
  await p.getByRole("heading", { name: "Our events" }).waitFor();
  const start = p.locator("#new-event");
  await start.getByLabel("Kind", { exact: true }).selectOption("academy");
  await start.getByLabel("Title", { exact: true }).fill("Academy of the social economy");
  await start.getByLabel("Starts (local time there)").fill("2031-07-06T09:00");
  await start.getByLabel("Ends (local time there)").fill("2031-07-08T17:00");
  await start.getByLabel("Time zone", { exact: true }).fill("Europe/Lisbon");
  await start.getByRole("button", { name: "Create the draft" }).click();
  await p.getByRole("heading", { name: "Academy of the social economy", level: 1 }).waitFor();

  // Its details: a description that tries to run scripts, a place, one place and a waiting list.
  const form = p.locator("#event-form");
  await form.getByLabel("Description (Markdown)").fill([
    "## Três dias", "", "Para *cooperativas*.", "",
    "<script>window.__pwned = 'script'</script>", "",
    "<img src=x onerror=\"window.__pwned = 'img'\">", "",
    "[Programa](javascript:window.__pwned='link')",
  ].join("\n"));
  await form.getByLabel("Venue", { exact: true }).fill("Casa das Cooperativas");
  await form.getByLabel("City", { exact: true }).fill("Lisboa");
  await form.getByLabel("Country", { exact: true }).fill("pt");
  await form.getByLabel("Online link").fill("https://meet.example/academy-secret");
  await form.getByLabel("Capacity", { exact: true }).fill("1");
  await form.getByLabel("Keep a waiting list when full").check();
  // Ending before it starts is refused at the field.
  await form.getByLabel("Ends (local time there)").fill("2031-07-05T17:00");
  await form.getByRole("button", { name: "Save" }).click();
  await p.locator("#error-ends_at").waitFor({ state: "visible" });
  assert.equal(await form.getByLabel("Ends (local time there)").getAttribute("aria-invalid"), "true");
  await form.getByLabel("Ends (local time there)").fill("2031-07-08T17:00");
  await form.getByRole("button", { name: "Save" }).click();
  await p.locator("#event-status").getByText("Saved.").waitFor();
  const session = p.locator("#new-session");
  await session.getByLabel("Title", { exact: true }).fill("Opening plenary");
  await session.getByLabel("Starts (local time there)").fill("2031-07-06T09:30");
  await session.getByLabel("Ends (local time there)").fill("2031-07-06T11:00");
  await session.getByLabel("Room", { exact: true }).fill("Sala 1");
  await session.getByRole("button", { name: "Add a session" }).click();
  await p.locator("#sessions").getByText("Opening plenary").waitFor();
  await p.locator("#event-workflow").getByRole("button", { name: "Publish" }).click();
  await p.locator("#event-status").getByText("Published.").waitFor();
  const eid = Number(p.url().split("/").pop());

  // Ana finds it in the list and registers with the keyboard only.
  const ana = await page("/sign-in");
  await signInAs(ana.p, "ana@coop.example");
  await ana.p.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Events" }).click();
  await ana.p.locator("#events-list").getByRole("link", { name: "Academy of the social economy" }).click();
  await ana.p.locator("#event-places").getByText("0 of 1 places taken").waitFor();
  assert.equal(await ana.p.locator("#online-link").count(), 0);  // not before a place is confirmed
  await ana.p.locator("#register").getByLabel("Name", { exact: true }).focus();
  await ana.p.keyboard.type("Ana Sousa");
  await ana.p.keyboard.press("Tab");
  await ana.p.keyboard.type("Cooperativa Ana");
  await ana.p.keyboard.press("Tab");
  await ana.p.keyboard.type("PT");
  await ana.p.keyboard.press("Enter");
  await ana.p.locator("#my-status").getByText("You are registered: your place is confirmed.").waitFor();
  await ana.p.locator("#online-link").getByText("https://meet.example/academy-secret").waitFor();
  await ana.p.locator("#participants-table").getByRole("cell", { name: "Cooperativa Ana" }).waitFor();

  // Bruno, on a phone, finds it full and joins the waiting list; he never sees the link.
  const bruno = await page("/sign-in", { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await signInAs(bruno.p, "bruno@coop.example");
  await bruno.p.goto(`${base}/events/${eid}`);
  await bruno.p.getByText("The event is full: you can join the waiting list.").waitFor();
  const reg = bruno.p.locator("#register");
  await reg.getByLabel("Name", { exact: true }).fill("Bruno Lima");
  await reg.getByLabel("my organisation").uncheck();
  await reg.getByRole("button", { name: "Join the waiting list" }).click();
  await bruno.p.locator("#my-status").getByText(/waiting list, number 1/).waitFor();
  assert.equal(await bruno.p.locator("#online-link, #participants").count(), 0);
  const width = await bruno.p.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390 + 1, `the page is ${width}px wide on a 390px phone`);

  // Ana cancels; Bruno's place is confirmed (and the mail queue holds his email).
  ana.p.once("dialog", (d) => d.accept());
  await ana.p.getByRole("button", { name: "Cancel my registration" }).click();
  await ana.p.locator("#register").waitFor();
  await bruno.p.reload();
  await bruno.p.locator("#my-status").getByText("You are registered: your place is confirmed.").waitFor();
  await bruno.p.locator("#participants").waitFor();

  // Nothing in the description ran, for the organiser or a reader; the link goes nowhere harmful.
  await bruno.p.locator("#event-description h2").getByText("Três dias").waitFor();
  await bruno.p.waitForTimeout(300);  // an image's onerror would have fired by now
  assert.equal(await bruno.p.evaluate(() => window.__pwned), undefined);
  assert.equal(await bruno.p.locator("#event-description script, #event-description img").count(), 0);
  const hrefs = await bruno.p.locator("#event-description a").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
  assert.ok(hrefs.every((h) => !/^\s*(javascript|vbscript|data):/i.test(h)), hrefs.join(" "));
  assert.equal(await p.evaluate(() => window.__pwned), undefined);

  // The organiser's list of registrations shows who is in and who cancelled is gone.
  await p.reload();
  await p.locator("#registrations-table").getByText("Bruno Lima").waitFor();
  assert.equal(await p.locator("#registrations-table").getByText("Ana Sousa").count(), 0);
  // Bruno's calendar holds the event.
  const ics = await bruno.p.evaluate(async () => (await fetch("/api/v1/me/events/calendar.ics")).text());
  assert.match(ics, /BEGIN:VCALENDAR/);
  assert.match(ics, /SUMMARY:Academy of the social economy/);
  assert.match(ics, /DTSTART:20310706T080000Z/);  // 09:00 in Lisbon in summer is 08:00 UTC
  assert.deepEqual([...errors, ...ana.errors, ...bruno.errors], []);
  await context.close();
  await ana.context.close();
  await bruno.context.close();
});

test("a network's editor starts a community; members talk in their languages, answer each other, a moderator hides a post; no script in a post runs", async () => {
  addUser("mod@ripess.example");
  addUser("ana@rede.example");
  addUser("luc@coop.example");
  const api = staffApi();
  const ripess = (await api("POST", "/api/v1/organisations", { name: "RIPESS Intercontinental", country: "BE" })).id;
  await api("POST", `/api/v1/organisations/${ripess}/roles`, { email: "mod@ripess.example", role: "editor" });

  // The editor starts the community from the organisation's page.
  const mod = await page("/sign-in");
  await signInAs(mod.p, "mod@ripess.example");
  await mod.p.goto(`${base}/organisations/${ripess}`);
  await mod.p.locator("#main").getByRole("link", { name: "Communities", exact: true }).click();
  await mod.p.getByRole("heading", { name: "Our communities" }).waitFor();
  const start = mod.p.locator("#new-community");
  await start.getByLabel("Name", { exact: true }).fill("Finance solidaire");
  await start.getByLabel("Description (Markdown)").fill("Fonds **rotatifs** et tontines.");
  await start.getByLabel("Languages").fill("fr, pt");
  await start.getByRole("button", { name: "Start the community" }).click();
  await mod.p.getByRole("heading", { name: "Finance solidaire", level: 1 }).waitFor();
  const gid = Number(mod.p.url().split("/").pop());

  // Luc joins, then Ana, on a phone, by keyboard; a taken name is refused at its field.
  const luc = await page("/sign-in");
  await signInAs(luc.p, "luc@coop.example");
  await luc.p.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Communities" }).click();
  await luc.p.locator("#communities-list").getByRole("link", { name: "Finance solidaire" }).click();
  await luc.p.locator("#join").getByLabel("Your name in the community").fill("luc");
  await luc.p.locator("#join").getByRole("button", { name: "Join" }).click();
  await luc.p.locator("#my-handle").getByText("You are a member as @luc.").waitFor();

  const ana = await page("/sign-in", { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "pt-PT" });
  await ana.p.getByLabel("Correio eletrónico").fill("ana@rede.example");
  await ana.p.getByLabel("Palavra-passe").fill("a long enough password");
  await ana.p.keyboard.press("Enter");
  await ana.p.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
  await ana.p.goto(`${base}/communities/${gid}`);
  const handle = ana.p.locator("#join").getByLabel("O seu nome na comunidade");
  await handle.fill("LUC");
  await handle.press("Enter");
  await ana.p.locator("#error-handle").getByText(/./).waitFor();
  await handle.fill("ana_souza");
  await handle.press("Enter");
  await ana.p.locator("#my-handle").waitFor();

  // Ana starts a conversation in Portuguese that tries every way to run a script.
  const thread = ana.p.locator("#new-thread");
  await thread.getByLabel("Título").fill("Fundos rotativos");
  await thread.getByLabel("Língua").selectOption("pt");
  await thread.getByLabel("Mensagem (Markdown)").fill([
    "Olá @luc, como **funciona** o vosso fundo?", "",
    "<script>window.__pwned = 'script'</script>", "",
    "<img src=x onerror=\"window.__pwned = 'img'\">", "",
    "[ver](javascript:window.__pwned='link')",
  ].join("\n"));
  await thread.getByRole("button", { name: "Publicar" }).click();
  await ana.p.getByRole("heading", { name: "Fundos rotativos", level: 1 }).waitFor();
  await ana.p.locator("#posts strong").getByText("funciona").waitFor();
  await ana.p.waitForTimeout(300);
  assert.equal(await ana.p.evaluate(() => window.__pwned), undefined);
  assert.equal(await ana.p.locator("#posts script, #posts img").count(), 0);
  const width = await ana.p.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390 + 1, `the page is ${width}px wide on a 390px phone`);
  const tid = Number(ana.p.url().split("/").pop());

  // Luc answers her post, in French, indented under it.
  await luc.p.goto(`${base}/communities/${gid}/threads/${tid}`);
  await luc.p.locator("#posts").getByRole("button", { name: "Answer" }).first().click();
  await luc.p.locator("#answering").getByText("Answering @ana_souza").waitFor();
  await luc.p.locator("#reply").getByLabel("Language").selectOption("fr");
  await luc.p.locator("#reply").getByLabel("Message (Markdown)").fill("Comme une tontine, @ana_souza.");
  await luc.p.locator("#reply").getByRole("button", { name: "Post" }).click();
  await luc.p.locator("#posts li.depth-1").getByText("Comme une tontine").waitFor();
  assert.equal(await luc.p.evaluate(() => window.__pwned), undefined);

  // The moderator hides Luc's answer with a reason; Luc sees that it was hidden, and why.
  await mod.p.goto(`${base}/communities/${gid}/threads/${tid}`);
  mod.p.once("dialog", (d) => d.accept("Hors sujet"));
  await mod.p.locator("#posts li.depth-1").getByRole("button", { name: "Hide" }).click();
  await mod.p.locator("#posts li.depth-1 .hidden-post").waitFor();
  await luc.p.reload();
  await luc.p.locator("#posts li.depth-1 .hidden-post").getByText("Reason: Hors sujet").waitFor();
  assert.equal(await luc.p.locator("#posts").getByText("Comme une tontine").count(), 0);
  await ana.p.reload();
  await ana.p.locator("#posts li.depth-1 .hidden-post").getByText("Um moderador ocultou esta mensagem.").waitFor();
  assert.equal(await ana.p.locator("#posts").getByText("Reason").count(), 0);  // only its author learns why
  assert.equal(await ana.p.evaluate(() => window.__pwned), undefined);
  assert.deepEqual([...mod.errors, ...luc.errors, ...ana.errors], []);
  await mod.context.close();
  await luc.context.close();
  await ana.context.close();
});

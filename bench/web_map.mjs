// The map page with a large register, in headless Chromium: time from navigation until the
// page says how many organisations are on the map (points fetched, clustered and drawn)
// and until a first interaction (a zoom) is drawn.
// Usage: node bench/web_map.mjs http://127.0.0.1:PORT [runs]   (needs web/node_modules)
import { createRequire } from "node:module";
const require = createRequire(new URL("../web/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const base = process.argv[2];
const runs = Number(process.argv[3] || 5);
const browser = await chromium.launch({
  executablePath: process.env.SOLIDUM_CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const times = [];
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const start = Date.now();
  await page.goto(base + "/");
  await page.getByText(/organisations on the map/).waitFor({ timeout: 60000 });
  const ready = Date.now() - start;
  const status = await page.locator(".map-status").textContent();
  const t0 = Date.now();
  await page.locator(".map canvas").focus();
  await page.keyboard.press("+");
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const zoom = Date.now() - t0;
  times.push(ready);
  console.log(`run ${i + 1}: ${status}: ready in ${ready} ms; a zoom drawn in ${zoom} ms`);
  await context.close();
}
times.sort((a, b) => a - b);
console.log(`median ready: ${times[Math.floor(times.length / 2)]} ms over ${runs} runs`);
await browser.close();

// Prints what a first visit to a page downloads in JS + CSS, raw and gzip-compressed (level 9).
// Usage: npm run size [-- page.html]   (default index.html, the participant page)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const dist = join(import.meta.dirname, "..", "dist");
const page = process.argv[2] ?? "index.html";
const html = readFileSync(join(dist, page), "utf8");
const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
let raw = 0;
let gz = 0;
for (const asset of new Set(assets)) {
  const bytes = readFileSync(join(dist, asset));
  const compressed = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gz += compressed;
  console.log(`${asset.padEnd(40)} ${String(bytes.length).padStart(8)} B  gzip ${String(compressed).padStart(7)} B`);
}
console.log(`${page}: first load JS+CSS ${(raw / 1024).toFixed(1)} KiB raw, ${(gz / 1024).toFixed(1)} KiB gzip (budget 150 KB)`);

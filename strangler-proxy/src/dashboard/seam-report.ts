import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { escapeHtml } from './escape-html';
import { newNonce, sendHtml } from './security-headers';

// `strangler seams --format html --out reports/seams` writes seams.html; index.html is accepted for reports published by hand.
const CANDIDATES = ['index.html', 'seams.html'];

export function findSeamReport(folder: string): string | null {
  for (const name of CANDIDATES) {
    const file = path.join(folder, name);
    if (fs.existsSync(file)) return file;
  }
  return null;
}

/** Serves the latest seam report, or a page that says how to make one. */
export function sendSeamReport(res: ServerResponse, folder: string): void {
  const file = findSeamReport(folder);
  if (file) {
    const html = fs.readFileSync(file);
    // SECURITY: the report quotes names from analysed code; a sandbox without scripts keeps it inert and away from the session.
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': html.length,
      'content-security-policy':
        "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:",
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.end(html);
    return;
  }
  const nonce = newNonce();
  const command = `npx strangler seams --root <your src folder> --db <database url> --format html --out ${path.relative(process.cwd(), folder) || '.'}`;
  sendHtml(
    res,
    404,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>No seam report yet</title>
<style nonce="${nonce}">body{font:14px system-ui,sans-serif;margin:3rem;max-width:46rem}code{background:#f1f3f6;padding:.2rem .4rem}</style></head>
<body><h1>No seam report yet</h1><p>Nothing found at <code>${escapeHtml(path.join(folder, CANDIDATES[0]))}</code>. Generate one with</p>
<p><code>${escapeHtml(command)}</code></p><p>for example <code>npx strangler seams --root legacy-monolith/src --format html --out reports/seams</code>, then reload this page.</p>
<p><a href="/dashboard">Back to the dashboard</a></p></body></html>`,
    nonce,
  );
}

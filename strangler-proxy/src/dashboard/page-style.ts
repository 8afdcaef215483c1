// Inline on purpose: the page must work offline with no build step and no CDN.
export const PAGE_STYLE = `
:root{--fg:#1d2430;--muted:#5d6675;--line:#d9dee6;--bg:#f6f7f9;--ok:#1f7a3a;--warn:#a35c00;--bad:#b3261e;--accent:#2456a6}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{display:flex;gap:1rem;align-items:center;padding:.75rem 1.25rem;background:#fff;border-bottom:1px solid var(--line);flex-wrap:wrap}
header h1{font-size:1.15rem;margin:0}header form{margin-left:auto}
section{margin:1rem 1.25rem;padding:.75rem 1rem;background:#fff;border:1px solid var(--line);border-radius:6px}
h2{font-size:1rem;margin:.25rem 0 .5rem}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}th{font-weight:600;color:var(--muted);font-size:.85rem}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{margin:0;padding:.5rem;background:#f1f3f6;border-radius:4px;overflow:auto;max-height:16rem;white-space:pre-wrap;word-break:break-word}
.muted{color:var(--muted)}.notice{margin:.75rem 1.25rem;padding:.5rem .75rem;border-radius:4px;background:#e8f0fe;white-space:pre-wrap}.notice.bad{background:#fdecea;color:var(--bad)}
.badge{display:inline-block;padding:0 .45rem;border-radius:999px;font-size:.8rem;border:1px solid currentColor}
.state-closed,.good{color:var(--ok)}.state-half-open,.warn{color:var(--warn)}.state-open,.bad{color:var(--bad)}.state-disabled{color:var(--muted)}
.bar{display:flex;height:.9rem;min-width:12rem;border-radius:3px;overflow:hidden;background:#eceff3}.bar span{display:block;height:100%}
.legend{font-size:.8rem;color:var(--muted)}.swatch{display:inline-block;width:.7rem;height:.7rem;margin:0 .3rem 0 0;border-radius:2px;vertical-align:-1px}.legend .swatch{margin-left:.5rem}
.flip{display:flex;gap:.35rem;align-items:center}.flip input{width:4.5rem}
select,input,button{font:inherit;padding:.2rem .4rem}button{cursor:pointer}
.steps{display:flex;gap:.25rem;flex-wrap:wrap}.steps span{padding:0 .4rem;border:1px solid var(--line);border-radius:3px;color:var(--muted)}
.steps span.done{color:var(--ok);border-color:var(--ok)}.steps span.current{color:#fff;background:var(--accent);border-color:var(--accent)}
.sample{margin:.75rem 0;padding-top:.5rem;border-top:1px dashed var(--line)}.side{display:grid;grid-template-columns:1fr 1fr;gap:.75rem}
.login{max-width:24rem;margin:4rem auto;padding:1.5rem;background:#fff;border:1px solid var(--line);border-radius:6px}
.login form{display:flex;flex-direction:column;gap:.5rem}.problem{color:var(--bad)}
`;

import type { Format } from '../options';
import { renderDot } from './dot';
import { renderHtml } from './html';
import { renderJson } from './json';
import { renderMarkdown } from './markdown';
import { renderMermaid } from './mermaid';
import type { Reporter } from './reporter';
import { renderText } from './text';

/** Every output format: a new one is one file and one line here. */
export const REPORTERS: Record<Format, { render: Reporter; file: string }> = {
  text: { render: renderText, file: 'seams.txt' },
  json: { render: renderJson, file: 'seams.json' },
  md: { render: renderMarkdown, file: 'seams.md' },
  mermaid: { render: renderMermaid, file: 'seams.mermaid.md' },
  dot: { render: renderDot, file: 'seams.dot' },
  html: { render: renderHtml, file: 'seams.html' },
};

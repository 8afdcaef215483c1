import { REPORTERS } from '../src/report/reporters';
import type { SeamsReport } from '../src/seams-report';
import { analyseFixture } from './support/analyse-fixture';

describe('reporters', () => {
  let report: SeamsReport;
  beforeAll(async () => {
    report = await analyseFixture('transaction');
  });

  it('JSON carries the schema version and round-trips', () => {
    const parsed = JSON.parse(REPORTERS.json.render(report).output);
    expect(parsed).toMatchObject({ version: 1, tool: 'strangler seams', summary: { files: 3 } });
    expect(parsed.findings.map((f: { kind: string }) => f.kind)).toEqual([
      'cross-context-transaction',
      'code-import',
    ]);
  });

  it('the terminal summary fits a screen and names the ranking and the next steps', () => {
    const { output } = REPORTERS.text.render(report);
    expect(output.split('\n').length).toBeLessThan(50);
    expect(output).toContain('Extraction order');
    expect(output).toContain(
      '→ replace the transaction with a saga: local transactions plus compensating actions',
    );
  });

  it('the HTML report is self-contained: no scripts, no remote resources, evidence linked to files', () => {
    const { output } = REPORTERS.html.render(report);
    expect(output).not.toMatch(/<script|<link|src="http|href="http/);
    expect(output).toContain('<svg');
    expect(output).toMatch(/href="file:\/\/[^"]+orders\/place-order\.ts"/);
  });

  it('escapes code text in HTML', async () => {
    const withMarkup = {
      ...report,
      findings: [{ ...report.findings[0], title: '<img src=x onerror=alert(1)>' }],
    };
    expect(REPORTERS.html.render(withMarkup).output).toContain(
      '&lt;img src=x onerror=alert(1)&gt;',
    );
  });

  it('Mermaid and DOT draw the context graph', () => {
    expect(REPORTERS.mermaid.render(report).output).toContain('orders -->|1 runtime| payments');
    expect(REPORTERS.dot.render(report).output).toContain(
      '"orders" -> "payments" [label="1 runtime"]',
    );
    expect(REPORTERS.md.render(report).output).toContain('## Extraction order');
  });
});

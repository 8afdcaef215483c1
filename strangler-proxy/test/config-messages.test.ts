import { parseRoutesText } from '../src/config';

function messageOf(text: string, file = 'routes.yaml'): string {
  try {
    parseRoutesText(text, file);
    return 'accepted';
  } catch (error) {
    return (error as Error).message;
  }
}

const BASE = `version: 1
upstreams: { monolith: { url: "http://127.0.0.1:3000" } }
default: { to: monolith }
`;

describe('routes-file messages say how to fix the field in question', () => {
  it('a bad sticky header suggests the sticky syntax, not the match header syntax', () => {
    const message = messageOf(
      `${BASE}routes:\n  - { name: a, match: { prefix: /a }, to: monolith, sticky: { header: { name: x-customer-id } } }\n`,
    );
    expect(message).toContain('field "sticky.header"');
    expect(message).toContain(
      'Fix: name the header that keys the canary, e.g. sticky: { header: x-customer-id }',
    );
    expect(message).not.toContain('value:');
    // match.header keeps its own hint.
    expect(
      messageOf(
        `${BASE}routes:\n  - { name: a, match: { prefix: /a, header: x-beta }, to: monolith }\n`,
      ),
    ).toContain('Fix: e.g. header: { name: x-beta, value: "1" }');
  });

  it('a YAML alias bomb is refused naming the file and the fix', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      BASE,
    ].join('\n');
    const message = messageOf(bomb, 'strangler-proxy/routes.yaml');
    expect(message).toMatch(/^strangler-proxy\/routes\.yaml: the YAML repeats aliases/);
    expect(message).toContain('write the repeated values out instead of nesting aliases');
  });
});

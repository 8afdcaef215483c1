import { editYamlText } from '../src/yaml-text';

describe('editYamlText', () => {
  const text = 'a: { b: 1 }  # keep me\nlist: [x, y]\nmap:\n  to: m   # owner\n  other: 2\n';

  it('when a plain value changes, then only its characters change', () => {
    expect(editYamlText(text, [{ path: ['map', 'to'], value: 'svc-1' }])).toBe(
      text.replace('to: m ', 'to: svc-1 '),
    );
  });

  it('when a key is missing, then it is added on the line after its sibling, same indent', () => {
    expect(editYamlText(text, [{ path: ['map', 'percent'], value: 10, after: 'to' }])).toBe(
      text.replace('  to: m   # owner\n', '  to: m   # owner\n  percent: 10\n'),
    );
  });
});

// A minimal TypeScript require hook for the crash tests' child processes: swc
// strips types file by file, and the output is cached on disk (keyed by path,
// size and mtime) so later children skip loading swc at all. Tens of children
// are started per run; each saved fraction of a second counts.
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const CACHE_DIR = path.join(os.tmpdir(), 'strangler-swc-cache');
let swc;

function compile(filename) {
  const stat = fs.statSync(filename);
  const key = crypto
    .createHash('sha1')
    .update(`${filename}:${stat.size}:${stat.mtimeMs}`)
    .digest('hex');
  const cached = path.join(CACHE_DIR, `${key}.js`);
  if (fs.existsSync(cached)) return fs.readFileSync(cached, 'utf8');
  swc ??= require('@swc/core');
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  // Write then rename: a child killed mid-write must not leave a truncated cache entry.
  const temporary = `${cached}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, code);
  fs.renameSync(temporary, cached);
  return code;
}

require.extensions['.ts'] = (module, filename) => {
  module._compile(compile(filename), filename);
};

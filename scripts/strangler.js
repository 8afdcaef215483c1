#!/usr/bin/env node
// The `strangler` bin: runs the TypeScript CLI through tsx so no build step is needed.
require('tsx/cjs');
require('./strangler.ts');

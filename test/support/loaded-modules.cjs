/* global require, process */
// Preloaded with NODE_OPTIONS=--require: at exit, writes every CommonJS module file the
// process loaded to $LOADED_MODULES_FILE (tests check what an idle bot did not load).
// CommonJS because --require needs it; hence the require() below.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { writeFileSync } = require('node:fs');
process.on('exit', () => {
  if (process.env.LOADED_MODULES_FILE)
    writeFileSync(process.env.LOADED_MODULES_FILE, Object.keys(require.cache).join('\n'));
});

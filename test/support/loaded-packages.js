'use strict';
// Preloaded (`node --require`) into a child bot: on exit it prints one line naming every
// npm package the process loaded, and every file of @microsoft/teams-ai it loaded, so a
// test can check what start-up loads (test/integration/start-up-modules.test.ts).
process.on('exit', () => {
  const packages = new Set();
  const teamsAi = [];
  for (const file of Object.keys(require.cache)) {
    const at = file.lastIndexOf('node_modules/');
    if (at < 0) continue;
    const parts = file.slice(at + 'node_modules/'.length).split('/');
    const name = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
    packages.add(name);
    if (name === '@microsoft/teams-ai') teamsAi.push(parts.slice(2).join('/'));
  }
  process.stderr.write(`loaded-packages ${JSON.stringify({ packages: [...packages].sort(), teamsAi })}\n`);
});

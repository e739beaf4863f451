'use strict';
// Preloaded into the Playground's own process (`node --require`, see process.ts); plain
// JavaScript because it runs inside the Playground's node, without tsx.

// 1. Loopback only. The Playground has no host option and listens on every interface.
// In the sandbox the bot runs with Bot Framework authentication off, so anyone who can
// reach the Playground could speak to the bot as any mock user: bind a bare
// `listen(port)` to 127.0.0.1 instead.
const net = require('node:net');

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first, second] = args;
  if (typeof first === 'number' && typeof second !== 'string') args.splice(1, 0, '127.0.0.1');
  else if (first && typeof first === 'object' && 'port' in first && !first.host && !first.path)
    args[0] = { ...first, host: '127.0.0.1' };
  return listen.apply(this, args);
};

// 2. No orphans. The Playground runs in its own process group so that stop() can kill
// the whole tree; the price is that it would outlive a parent killed with SIGKILL (or a
// crashed test runner). When the parent goes away we are re-parented: exit then.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 500).unref();

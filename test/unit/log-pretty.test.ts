import { Writable } from 'node:stream';
import { createLogger } from '../../bot/log';
import { prettyDestination } from '../../bot/log-pretty';

/** Sandbox logs at a terminal: one readable line per entry, secrets still redacted. */
it('formats log lines for a person, keeping the redaction', async () => {
  let text = '';
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  const destination = await prettyDestination(out);
  expect(destination).toBeDefined();
  const logger = createLogger({ level: 'info', destination });
  logger.info({ requestId: 'OFB-7K3Q', token: 'eyJ-not-to-be-seen' }, 'card posted');
  logger.debug('below the level');
  // eslint-disable-next-line no-control-regex
  const plain = text.replace(/\x1b\[[0-9;]*m/g, '');
  expect(plain).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: card posted\n/);
  expect(plain).toContain('requestId: "OFB-7K3Q"');
  expect(plain).toContain('[redacted]');
  expect(plain).not.toContain('eyJ-not-to-be-seen');
  expect(plain).not.toContain('"level"');
  expect(plain).not.toContain('below the level');
});

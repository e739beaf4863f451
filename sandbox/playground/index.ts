/**
 * The Microsoft 365 Agents Playground (a local Teams simulation) as a child process of
 * the sandbox. See docs/playground.md for the measured behaviour this relies on.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { writePlaygroundConfig } from './config';
import { DEFAULT_PLAYGROUND_PORT, playgroundFiles } from './paths';
import { killTree, launch, waitUntilReady, type Log } from './process';

export { writePlaygroundConfig, PLAYGROUND_IDS, playgroundPeople } from './config';
export { PLAYGROUND_HELP } from './help';

export interface PlaygroundHandle {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface StartPlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages. */
  botEndpoint: string;
  /** PLAYGROUND_PORT (default 56150); 0 picks a free port. */
  port: number;
  /** The project root: every file the Playground writes stays under <projectDir>/.tmp/. */
  projectDir: string;
  logger: Log;
  /** Bound on start-up (default 30 s). */
  timeoutMs?: number;
}

export async function startPlayground(o: StartPlaygroundOptions): Promise<PlaygroundHandle> {
  const timeoutMs = o.timeoutMs ?? 30_000;
  // The service URL must name the port up front, so "any port" is resolved here.
  const port = o.port === 0 ? await freePort() : o.port;
  // Checked before touching any file: a second start must not truncate a running one's record.
  if (!(await isFree(port))) throw portInUse(port);
  const files = playgroundFiles(o.projectDir, port);
  mkdirSync(files.tmp, { recursive: true });
  writePlaygroundConfig(files.config);
  // One run, one log and one recording: stale lines would mislead error reports and act-as.
  writeFileSync(files.log, '');
  writeFileSync(files.recording, '');

  o.logger.info(`Playground starting on port ${port} for the bot at ${o.botEndpoint}`);
  const { child, listening } = launch({
    args: [
      ...['-e', o.botEndpoint, '-c', 'msteams', '--disable-telemetry', '--enable-events-recording'],
      // 127.0.0.1, not localhost: localhost may resolve to ::1 (docs/playground.md).
      ...['-p', String(port), '--service-url', `http://127.0.0.1:${port}/_connector`],
    ],
    // Its working directory gets devTools/ and the like: keep that inside the project.
    cwd: files.dir,
    env: {
      ...inheritedEnv(),
      // Without it the telemetry library still calls outside hosts, even with --disable-telemetry.
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      TMPDIR: files.tmp,
      HOME: files.dir,
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: files.config,
      M365_AGENTS_PLAYGROUND_LOGFILE: files.log,
      M365_AGENTS_PLAYGROUND_RECORDING_FILE: files.recording,
      // It would otherwise run xdg-open, a detached process that escapes stop().
      TEAMSAPPTESTER_BROWSER: 'none',
    },
    logFile: files.log,
    logger: o.logger,
    timeoutMs,
  });
  let stopping = false;
  const stop = () => ((stopping = true), killTree(child));
  try {
    const actual = await listening;
    if (actual !== port) throw portInUse(port, actual);
    const url = `http://127.0.0.1:${port}`;
    await waitUntilReady(child, url, files.log, timeoutMs);
    o.logger.info(`Playground listening on ${url} (files in ${files.dir})`);
    // Say so if it dies on its own: the page would just stop working, with no other sign.
    child.once('exit', (code, signal) => {
      if (!stopping)
        o.logger.error(`the Playground stopped unexpectedly (${signal ?? `code ${code}`}); see ${files.log}`);
    });
    return { url, port, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

function portInUse(port: number, movedTo?: number): Error {
  const moved = movedTo ? ` (the Playground would have moved to port ${movedTo} without telling anyone)` : '';
  return new Error(
    `port ${port} is already in use${moved}. Stop what is using port ${port}, or set PLAYGROUND_PORT to a free port.`,
  );
}

/** Only what a node program needs: the bot's own settings (and any secrets) stay out. */
function inheritedEnv(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'LANG', 'LC_ALL', 'TZ', 'SYSTEMROOT'];
  return Object.fromEntries(keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]));
}

/** Listens once and closes: how the Playground itself checks (on all interfaces, like its check). */
function probe(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(undefined));
    srv.listen(port, () => {
      const addr = srv.address();
      srv.close(() => resolve(addr && typeof addr === 'object' ? addr.port : undefined));
    });
  });
}

const isFree = async (port: number) => (await probe(port)) === port;

/** A port free now (the kernel's pick): for anything that must name its port before it listens. */
export async function freePort(): Promise<number> {
  const port = await probe(0);
  if (port === undefined) throw new Error('no free port on this machine');
  return port;
}

export { DEFAULT_PLAYGROUND_PORT };

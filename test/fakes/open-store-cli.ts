import { openSqliteStore } from '../../bot/store';

/**
 * Opens the store on argv[2] and prints the error message (or "opened"). Tests run it
 * as an unprivileged user when they run as root: root ignores permission bits, so an
 * in-process chmod test would prove nothing in CI.
 */
try {
  const store = openSqliteStore({ dataDir: process.argv[2]! });
  void store.close();
  console.log('opened');
} catch (e) {
  console.log((e as Error).message);
}

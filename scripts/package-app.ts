/**
 * `npm run package`: builds appPackage/build/appPackage.zip from appPackage/manifest.json,
 * filling each `${{NAME}}` from the environment (the Microsoft 365 Agents Toolkit syntax).
 *
 *   BOT_ID        the bot's Microsoft App ID (Entra app registration), required
 *   BOT_DOMAIN    host name the bot is served from, e.g. offboarder.contoso.com, required
 *   TEAMS_APP_ID  optional; defaults to a UUID derived from BOT_ID (see withPackagingDefaults)
 *
 * Exit code 1 with one message naming every missing variable or validation problem.
 */
import { join } from 'node:path';
import { AppPackageError, buildAppPackage } from './app-package';

async function main(): Promise<void> {
  const appPackageDir = join(__dirname, '..', 'appPackage');
  const outFile = join(appPackageDir, 'build', 'appPackage.zip');
  const result = await buildAppPackage({ appPackageDir, outFile, env: process.env });
  const derived = process.env.TEAMS_APP_ID ? '' : ' (derived from BOT_ID; set TEAMS_APP_ID to override)';
  console.log(`Wrote ${result.outFile}: ${result.entries.join(', ')}`);
  console.log(`Teams app id ${String(result.manifest.id)}${derived}`);
  if (JSON.stringify(result.manifest.developer).includes('REPLACE-ME'))
    console.warn('Note: developer name and URLs are still placeholders; set real ones before publishing.');
}

main().catch((error: unknown) => {
  console.error(error instanceof AppPackageError ? error.message : error);
  process.exitCode = 1;
});

import 'reflect-metadata';
import { AppConfig } from '@app/config/app-config';
import { ConfigError, loadConfig } from '@app/config/load-config';
import { reencrypt } from './reencrypt-command';

/** Entry point of `npm run reencrypt` (see reencrypt-command.ts). Prints counts only, never a secret. */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  const r = await reencrypt(config);
  process.stdout.write(`re-encrypted ${r.rewritten} secret(s) under ENCRYPTION_KEY; ${r.current} already were; ${r.unreadable} could not be read\n`);
  if (r.unreadable > 0) {
    process.stdout.write('the unreadable ones need their old key in ENCRYPTION_KEY_PREVIOUS, or to be entered again (Jira token, notification secret) or rotated (webhook secret)\n');
    process.exit(2);
  }
}

main().catch((err) => {
  process.stderr.write(`reencrypt failed: ${(err as Error).message}\n`);
  process.exit(1);
});

import { cpSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedPostgres } from '@app/database/embedded-postgres';
import { migrate } from './migrate';
import { runId, usesRunTemplates } from './test-env';

/** Where EmbeddedPostgres keeps PGlite's files inside DATA_DIR. */
const PGLITE_DIR = 'pglite';

/** This run's migrated PGlite data directory; scripts/test.mjs removes it with the run's databases. */
export const embeddedTemplateDir = () => join(tmpdir(), `crashbridge-pglite-template-${runId()}`);

/**
 * Fills an empty DATA_DIR with a PGlite database at the newest schema. A new PGlite directory costs
 * about 2 s of initdb (measured); a copy of a template built once per run by the real start-up path
 * (EmbeddedPostgres, then the migrations under their lock) costs a tenth of that. Run alone (no
 * template), it does nothing: the service initialises and migrates its database itself.
 */
export async function seedEmbeddedDataDir(dataDir: string): Promise<void> {
  if (!usesRunTemplates()) return;
  const template = embeddedTemplateDir();
  if (!existsSync(template)) await buildTemplate(template);
  cpSync(join(template, PGLITE_DIR), join(dataDir, PGLITE_DIR), { recursive: true });
}

/**
 * Builds in a directory of its own, closes the database, then renames it into place. The rename is
 * atomic: when two workers build at once, the loser's rename fails and it removes its copy.
 */
async function buildTemplate(template: string): Promise<void> {
  const building = mkdtempSync(`${template}.building-`);
  try {
    const db = await EmbeddedPostgres.start(building);
    try {
      await migrate(db.url);
    } finally {
      await db.stop();
    }
    rmSync(join(building, 'socket'), { recursive: true, force: true });
    renameSync(building, template);
  } catch (err) {
    if (!existsSync(join(template, PGLITE_DIR))) throw err;
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
}

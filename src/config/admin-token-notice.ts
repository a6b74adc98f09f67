import { join } from 'node:path';
import { AppConfig } from './app-config';

type Terminal = Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean };

/**
 * Tells whoever started the service where the generated admin token is. The token
 * itself is shown only on a terminal: stdout of a service is usually a log that
 * others can read (journald, docker logs, a log shipper), and a token there is a
 * token given away.
 */
export function announceGeneratedAdminToken(config: Pick<AppConfig, 'adminToken' | 'adminTokenGenerated' | 'dataDir'>, out: Terminal = process.stdout): void {
  if (!config.adminTokenGenerated) return;
  const file = join(config.dataDir, 'admin-token');
  if (out.isTTY) out.write(`\nAdmin token (saved in ${file}):\n  ${config.adminToken}\n\n`);
  else out.write(`Admin token generated: read it from ${file} (readable only by this user)\n`);
}

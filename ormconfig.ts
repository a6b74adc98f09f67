import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@app/database/data-source-options';

/**
 * DataSource for the TypeORM CLI (`npm run typeorm -- migration:run`, `migration:generate`).
 * Needs DATABASE_URL; the embedded database is reachable only from inside the running app.
 */
const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL must be set to use the TypeORM CLI');
export default new DataSource(dataSourceOptions(url, 2));

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** No table: whether the database answers at all, for /health. */
@Injectable()
export class DatabaseHealthRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Resolves when the database answers a trivial query; rejects otherwise. */
  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/**
 * The create attempt recorded on a group before a create request goes to Jira: when, by whom (`claim`), and through
 * which route. A later creator looks for the issue that attempt may have made before creating again.
 */
@Injectable()
export class TicketAttemptRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records a create attempt if the group is still unlinked and its last attempt is still the one the caller read
   * (`seen`, null for none): of two creators that read the same group, one wins, and the other reads again.
   * Times are kept to the millisecond, as JavaScript reads them, so `seen` compares exactly. The first attempt's
   * route is kept. True when recorded.
   */
  async claim(groupId: string, route: string, claim: string, seen: Date | null): Promise<boolean> {
    const rows: Array<{ n: number }> = await this.dataSource.query(
      `WITH claimed AS (
         UPDATE error_groups
            SET ticket_create_attempted_at = date_trunc('milliseconds', clock_timestamp()), ticket_create_claim = $3,
                ticket_route = COALESCE(ticket_route, $2)
          WHERE id = $1 AND ticket_ref IS NULL
            AND date_trunc('milliseconds', ticket_create_attempted_at) IS NOT DISTINCT FROM $4::timestamptz
          RETURNING 1)
       SELECT count(*)::int AS n FROM claimed`,
      [groupId, route, claim, seen],
    );
    return rows[0].n > 0;
  }

  /** Forgets the caller's own attempt and its route: Jira answered it with a refusal, so nothing was created. */
  async forget(groupId: string, claim: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE error_groups SET ticket_create_attempted_at = NULL, ticket_create_claim = NULL, ticket_route = NULL
        WHERE id = $1 AND ticket_ref IS NULL AND ticket_create_claim = $2`,
      [groupId, claim],
    );
  }

  /** Gives up creating the ticket of an unlinked group; `nothingCreated` forgets the attempt and its route. */
  async markTicketFailed(m: EntityManager, groupId: string, nothingCreated: boolean): Promise<void> {
    await m.query(
      `UPDATE error_groups SET ticket_state = 'failed',
              ticket_create_attempted_at = CASE WHEN $2 THEN NULL ELSE ticket_create_attempted_at END,
              ticket_create_claim = CASE WHEN $2 THEN NULL ELSE ticket_create_claim END,
              ticket_route = CASE WHEN $2 THEN NULL ELSE ticket_route END
        WHERE id = $1 AND ticket_ref IS NULL`,
      [groupId, nothingCreated],
    );
  }
}

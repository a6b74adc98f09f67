import { Injectable } from '@nestjs/common';
import { GroupChangeRepository } from '@app/database/repositories/group-change.repository';
import { decodeCursor, encodeCursor } from '@app/modules/changes/change-cursor';
import { ChangesPageDto } from '@app/modules/changes/dto/changes.dto';

const DEFAULT_LIMIT = 100;

/** A page of the project's change feed after a cursor. */
@Injectable()
export class ListChangesUseCase {
  constructor(private readonly changes: GroupChangeRepository) {}

  async execute(projectId: string, after: string | undefined, limit: number | undefined): Promise<ChangesPageDto> {
    const from = decodeCursor(after);
    const rows = await this.changes.listAfter(projectId, from, limit ?? DEFAULT_LIMIT);
    const items = rows.map((r) => ({ cursor: encodeCursor(r), type: r.type, fingerprint: r.fingerprint, at: r.at.toISOString(), changes: r.changes }));
    return { items, nextCursor: items.length > 0 ? items[items.length - 1].cursor : encodeCursor(from) };
  }
}

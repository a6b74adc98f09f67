import { JiraRunRow } from '@app/database/repositories/jira-run.repository';
import { JiraRunDto } from './dto/jira-run.dto';

export function runView(r: JiraRunRow): JiraRunDto {
  return {
    id: r.id, status: r.status, total: r.total, done: r.done, failed: r.failed, skipped: r.skipped, error: r.error,
    createdAt: new Date(r.createdAt).toISOString(), finishedAt: r.finishedAt ? new Date(r.finishedAt).toISOString() : null,
  };
}

import { EntityManager } from 'typeorm';
import { notFound } from '@app/common/errors/domain-error';
import { JiraIntegrationRepository } from '@app/database/repositories/jira-integration.repository';

/**
 * The project's id, its row locked for the transaction (JiraIntegrationRepository.lockProjectByKey:
 * every write to a project's integration takes this lock first).
 */
export async function lockProject(integrations: JiraIntegrationRepository, m: EntityManager, key: string): Promise<string> {
  const projectId = await integrations.lockProjectByKey(m, key);
  if (!projectId) throw notFound('PROJECT_NOT_FOUND', `project '${key}' not found`);
  return projectId;
}

export const integrationNotFound = (key: string) =>
  notFound('INTEGRATION_NOT_FOUND', `project '${key}' has no Jira integration`);

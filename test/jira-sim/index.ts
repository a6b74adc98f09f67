// In-repo Jira simulator (Cloud and Data Center flavours) for tests. See README.md.
export { JiraSimulator } from './simulator';
export type {
  Flavour,
  JiraSimOptions,
  RecordedRequest,
  SimComment,
  SimFaults,
  SimFieldDef,
  SimIssue,
  SimUserInput,
  SimWebhookEvent,
  WebhookRegistration,
} from './types';

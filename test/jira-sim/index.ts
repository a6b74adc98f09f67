// In-repo Jira simulator (Cloud and Data Center flavours) for tests. See README.md.
export { JiraSimulator } from './simulator';
export { MOBILE_PROJECT } from './data';
export type {
  Flavour,
  JiraSimOptions,
  RecordedRequest,
  SimComment,
  SimFaults,
  SimFieldDef,
  SimIssue,
  SimIssueTypeInput,
  SimProjectInput,
  SimUserInput,
  SimWebhookEvent,
  WebhookRegistration,
} from './types';

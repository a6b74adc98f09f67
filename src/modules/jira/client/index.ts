export * from './jira-connection';
export * from './jira-url';
export * from './jira-errors';
export * from './retry-policy';
export * from './createmeta';
export * from './jira-client';
export * from './jira-types';
export * from './egress-guard';

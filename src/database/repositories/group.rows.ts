import { AttributeHistograms, ErrorGroupEntity } from '@app/database/entities';
import { TicketView } from './jira-issue.rows';

/** A row of error_groups. Statements that read fewer columns return a Pick of it, named below. */
export type GroupRow = ErrorGroupEntity;

/** The columns the ticket rules read of a group (and `ticketState`, which they set). */
export type RuleGroup = Pick<GroupRow, 'id' | 'fingerprint' | 'count' | 'ticketRef' | 'ticketState'>;

/** What createRules.when is evaluated against: the group as stored (GroupQueryRepository.conditionSubjects). */
export type SubjectGroup = Pick<GroupRow, 'id' | 'fingerprint' | 'title' | 'classifiers' | 'attributes'>;

/**
 * A group as the ingest upsert returns it (the batch statement: the RuleGroup columns only),
 * with what the statement did to it.
 */
export type UpsertedGroup = Pick<
  GroupRow,
  | 'id' | 'fingerprint' | 'title' | 'count' | 'ticketRef' | 'ticketState' | 'ticketRoute' | 'callstack' | 'classifiers' | 'firstSeen' | 'lastSeen'
  | 'link' | 'attributes' | 'state' | 'assignee' | 'resolvedUntil' | 'regressions' | 'updatedAt'
> & {
  created: boolean;
  ticket?: TicketView | null;
  /** Index (among this request's reports of the group) of the report that regressed it. */
  regressedBy?: number;
};

/** A group the upsert left to code, locked, with the columns merging in code reads and writes back. */
export type LockedForMerge = UpsertedGroup & Pick<GroupRow, 'projectId' | 'resolvedAt' | 'localChangedAt'>;

/** The groups of an issue locked for applying Jira changes: the columns an apply reads or changes (not the attributes, which can be large). */
export type LinkedGroup = Pick<GroupRow, 'id' | 'fingerprint' | 'state' | 'assignee' | 'resolvedUntil' | 'resolvedAt' | 'localChangedAt'> & { ticketRef: string };

/** The reports of one fingerprint in a request, added up: what the upsert adds to the stored group. */
export interface ReportSum {
  fingerprint: string;
  title: string | null;
  callstack: string[] | null;
  classifiers: string[] | null;
  link: string | null;
  count: number;
  firstSeen: Date;
  lastSeen: Date;
  attributes: AttributeHistograms;
  /** Summing alone could exceed the attribute limits: the statement leaves the group to code. */
  complex: boolean;
  /** The count by hour (start, ms since the epoch) for group_hourly_counts; absent: all of it in lastSeen's hour. */
  hourly?: Map<number, number>;
}

/** Which upsert statement runs (see GroupRepository.upsertReports). */
export type UpsertKind = 'single-fast' | 'single-fast-token' | 'single' | 'batch';

export interface UpsertResult {
  rows: Map<string, UpsertedGroup>;
  /** The project has a Jira integration: ticket rules may apply. */
  hasIntegration: boolean;
  /** The ingest token given still belongs to the project (always true without one). */
  tokenOk: boolean;
  /** The project still exists; when not, nothing was written. */
  projectOk: boolean;
}

/** The project was deleted before the ingest statement could lock it: nothing was written. */
export class ProjectGone extends Error {
  constructor() {
    super('project is gone');
  }
}

/** An activity entry written in the same statement as the groups it is about. */
export interface ActivityEntry {
  projectId: string;
  fingerprint?: string | null;
  kind: string;
  source: string;
  detail: string;
  data?: Record<string, unknown> | null;
}

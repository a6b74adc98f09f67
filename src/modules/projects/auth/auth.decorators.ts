import { SetMetadata } from '@nestjs/common';

export const AUTH_POLICY = 'crashbridge:auth-policy';

/**
 * Every route is admin-only unless it says otherwise:
 * - public: no token (health, metrics, docs, Jira webhooks with their own secret, UI pages);
 * - ingest: the admin token or the ingest token of the project named by `:key`.
 */
export type AuthPolicy = 'admin' | 'public' | 'ingest';

export const Public = () => SetMetadata(AUTH_POLICY, 'public' satisfies AuthPolicy);
export const IngestTokenAllowed = () => SetMetadata(AUTH_POLICY, 'ingest' satisfies AuthPolicy);

import { Provider } from '@nestjs/common';

/**
 * Every table's repository. A repository is the only place that writes SQL for its
 * table; its methods are named for what they do, and take the caller's
 * EntityManager when they must run inside the caller's transaction.
 */
export const REPOSITORIES: Provider[] = [];

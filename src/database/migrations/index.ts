import { InitialSchema1764100000000 } from './1764100000000-initial-schema';

/** Listed explicitly (not globbed) so the same list works from src/ under ts and from dist/. */
export const MIGRATIONS = [InitialSchema1764100000000];

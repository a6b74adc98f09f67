/** The ordering rules live in src/common (ingestion uses them too); re-exported for the template API. */
export { compareNatural, sortedValues, topValue } from '@app/common/natural-compare';
export type { ValueCount } from '@app/common/natural-compare';

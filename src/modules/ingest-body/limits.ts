/** Limits of an ingest body (docs/behaviour.md, "Error groups"). */
export { MAX_ATTRIBUTES, MAX_VALUES_PER_ATTRIBUTE } from '@app/database/entities/error-group.entity';
export const MAX_BATCH = 1_000;
export const MAX_FINGERPRINT = 256;
export const MAX_TITLE = 1_000;
export const MAX_FRAMES = 500;
export const MAX_FRAME_LENGTH = 2_000;
export const MAX_CLASSIFIERS = 100;
export const MAX_ATTRIBUTE_NAME = 128;
export const MAX_ATTRIBUTE_VALUE = 1_024;
export const MAX_COUNT = 1_000_000_000;
export const OTHER_VALUE = '(other)';

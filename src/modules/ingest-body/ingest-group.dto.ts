import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize, IsArray, IsInt, IsISO8601, IsString, IsUrl, Length, Max, MaxLength, Min, isISO8601,
  ValidationArguments, ValidateIf, ValidatorConstraint, ValidatorConstraintInterface, Validate,
} from 'class-validator';
import { describeAttributeProblem } from './attribute-histograms';
import {
  MAX_CLASSIFIERS, MAX_COUNT, MAX_FINGERPRINT, MAX_FRAME_LENGTH, MAX_FRAMES, MAX_TITLE,
} from './limits';

/** Optional, but an explicit null is an error (class-validator's IsOptional would accept it). */
const IsOptionalNotNull = () => ValidateIf((_, v) => v !== undefined);

@ValidatorConstraint({ name: 'attributeMap' })
class AttributeMapConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return describeAttributeProblem(value) === null;
  }
  defaultMessage(args: ValidationArguments): string {
    return describeAttributeProblem(args.value) ?? 'attributes are invalid';
  }
}

/**
 * ISO 8601 allows forms JavaScript's Date cannot read (`20261120T100000Z`, `2026-W47-1`,
 * `2026-324`); ingestion computes with Date, so those are refused (a 500 before).
 */
export const isReadableDate = (v: unknown): boolean => typeof v !== 'string' || !Number.isNaN(Date.parse(v));
export const unreadableDateMessage = (property: string) =>
  `${property} must be a date and time in the extended format, e.g. 2026-11-20T10:00:00Z`;

@ValidatorConstraint({ name: 'readableDate' })
class ReadableDateConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    // Only judges what IsISO8601 accepts: a value is refused by one of the two, never both.
    return !isISO8601(value, { strict: true }) || isReadableDate(value);
  }
  defaultMessage(args: ValidationArguments): string {
    return unreadableDateMessage(args.property);
  }
}

/** One error group report, as the error service posts it (docs/behaviour.md, "Error groups"). */
export class IngestGroupDto {
  @ApiProperty({ minLength: 1, maxLength: MAX_FINGERPRINT })
  @IsString() @Length(1, MAX_FINGERPRINT)
  fingerprint: string;

  /** Defaults to the fingerprint for a new group; an empty title keeps the stored one. */
  @ApiPropertyOptional({ maxLength: MAX_TITLE, description: 'Defaults to the fingerprint for a new group; an empty title keeps the stored one' })
  @IsOptionalNotNull() @IsString() @MaxLength(MAX_TITLE)
  title?: string;

  @ApiPropertyOptional({ type: [String], maxItems: MAX_FRAMES })
  @IsOptionalNotNull() @IsArray() @ArrayMaxSize(MAX_FRAMES) @IsString({ each: true }) @MaxLength(MAX_FRAME_LENGTH, { each: true })
  callstack?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: MAX_CLASSIFIERS })
  @IsOptionalNotNull() @IsArray() @ArrayMaxSize(MAX_CLASSIFIERS) @IsString({ each: true }) @MaxLength(200, { each: true })
  classifiers?: string[];

  /** Occurrences in this report (a delta); default 1. */
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_COUNT, default: 1, description: 'Occurrences in this report (a delta)' })
  @IsOptionalNotNull() @IsInt() @Min(0) @Max(MAX_COUNT)
  count?: number;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptionalNotNull() @IsISO8601({ strict: true }) @Validate(ReadableDateConstraint)
  firstSeen?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptionalNotNull() @IsISO8601({ strict: true }) @Validate(ReadableDateConstraint)
  lastSeen?: string;

  /** name → {value: count} | [[value, count]] | scalar */
  @ApiPropertyOptional({
    type: 'object', additionalProperties: true, example: { os: { linux: 2 }, version: [['1.2.0', 3]], region: 'eu' },
    description: 'name → {value: count}, [[value, count], …] or one scalar value (counted once)',
  })
  @IsOptionalNotNull() @Validate(AttributeMapConstraint)
  attributes?: Record<string, unknown>;

  @ApiPropertyOptional({ maxLength: 2048, format: 'uri', description: 'The group in the error tracker (http or https)' })
  @IsOptionalNotNull() @IsString() @MaxLength(2048) @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  link?: string;
}

export class IngestBatchDto {
  @ApiProperty({ type: [IngestGroupDto], description: 'Each group is validated and stored on its own (per-item results)' })
  groups: IngestGroupDto[];
}

export class BatchItemResultDto {
  @ApiProperty({ type: String, nullable: true, description: 'null when the item has no readable fingerprint' })
  fingerprint: string | null;
  @ApiProperty({ enum: ['created', 'updated', 'regressed', 'error'] })
  status: 'created' | 'updated' | 'regressed' | 'error';
  @ApiPropertyOptional({ description: 'Why the item was refused (status error)' })
  error?: string;
}

export class BatchResultDto {
  @ApiProperty({ type: [BatchItemResultDto], description: 'One per item, in order' })
  results: BatchItemResultDto[];
}

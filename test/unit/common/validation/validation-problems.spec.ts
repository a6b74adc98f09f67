import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsString, ValidateNested, ValidationError, validateSync } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { appValidationPipe } from '@app/common/validation/app-validation-pipe';
import { MAX_MESSAGES_LENGTH, OMITTED_MESSAGE, validationMessages, validationProblems } from '@app/common/validation/validation-problems';

class Row {
  @IsString() attribute: string;
  @IsIn(['=', 'in']) op: string;
}
class Route {
  @IsString() name: string;
  @ValidateNested({ each: true }) @Type(() => Row) when: Row[];
}
class Settings {
  @ValidateNested({ each: true }) @Type(() => Route) routes: Route[];
  @IsObject() @ValidateNested() @Type(() => Row) rule: Row;
  @IsInt() count: number;
}

const errorsOf = (plain: object) => validateSync(plainToInstance(Settings, plain), { whitelist: true, forbidNonWhitelisted: true });
const valid = { routes: [], rule: { attribute: 'a', op: '=' }, count: 1 };

async function pipeMessages(pipe: ValidationPipe, plain: object): Promise<string[]> {
  try {
    await pipe.transform(plain, { type: 'body', metatype: Settings });
  } catch (err) {
    return ((err as BadRequestException).getResponse() as { message: string[] }).message;
  }
  throw new Error('expected a validation error');
}

describe('validation problems', () => {
  it('names list entries in brackets and members with dots, in paths and messages', () => {
    const routes = [{ name: 'a', when: [] }, { name: 'b', when: [{ attribute: 'x', op: '=' }, { attribute: 'y', op: 'like', extra: 1 }] }];
    expect(validationProblems(errorsOf({ ...valid, routes, count: 'x' }))).toEqual([
      { path: 'routes[1].when[1].extra', message: 'property routes[1].when[1].extra should not exist' },
      { path: 'routes[1].when[1].op', message: 'routes[1].when[1].op must be one of the following values: =, in' },
      { path: 'count', message: 'count must be an integer number' },
    ]);
  });

  it('reports a value of the wrong shape once, not what class-validator finds inside it', () => {
    expect(validationMessages(errorsOf({ ...valid, rule: 'x' }))).toEqual(['rule must be an object']);
    expect(validationMessages(errorsOf({ ...valid, rule: [{ attribute: 1 }] }))).toEqual(['rule must be an object']);
  });

  it('words a list entry that is not an object by its index', () => {
    expect(validationMessages(errorsOf({ ...valid, routes: [{ name: 'a', when: [] }, 'b'] }))).toEqual(['routes[1] must be an object']);
  });

  it('prefixes a message that does not name its property with the path', () => {
    const errors = [Object.assign(new ValidationError(), {
      property: 'routes',
      value: [{}],
      children: [Object.assign(new ValidationError(), { property: '0', value: {}, children: [Object.assign(new ValidationError(), { property: 'name', constraints: { custom: 'cannot be left out' } })] })],
    })];
    expect(validationProblems(errors)).toEqual([{ path: 'routes[0].name', message: 'routes[0].name: cannot be left out' }]);
  });

  it('keeps the property name in class-validator\'s own lead-ins ("each value in value")', () => {
    const errors = [Object.assign(new ValidationError(), {
      property: 'row',
      value: {},
      children: [Object.assign(new ValidationError(), { property: 'value', value: [1], constraints: { isString: 'each value in value must be a string' } })],
    })];
    expect(validationMessages(errors)).toEqual(['each value in row.value must be a string']);
  });

  it('makes later references to entries of the same list full paths too', () => {
    const errors = [Object.assign(new ValidationError(), {
      property: 'routes',
      value: [{}],
      children: [Object.assign(new ValidationError(), {
        property: '0',
        value: {},
        children: [Object.assign(new ValidationError(), { property: 'customFields', value: [], constraints: { rule: 'customFields[1].field: the field is already set by customFields[0]' } })],
      })],
    })];
    expect(validationMessages(errors)).toEqual(['routes[0].customFields[1].field: the field is already set by routes[0].customFields[0]']);
  });

  it('names any unknown member, however long or odd its name', () => {
    for (const key of ['z'.repeat(40_000), '(?<!', '\\', '$&', '']) {
      const routes = [{ name: 'a', when: [{ attribute: 'x', op: '=', [key]: 1 }] }];
      expect(validationMessages(errorsOf({ ...valid, routes }))).toEqual([`property routes[0].when[0].${key} should not exist`]);
    }
  });

  it('tells list entries by numeric names when a pipe dropped the values', async () => {
    const routes = [{ name: 'a', when: [{ attribute: 'x', op: 'like' }] }];
    const nestDefaults = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, exceptionFactory: (e) => new BadRequestException(validationMessages(e)) });
    expect(await pipeMessages(nestDefaults, { ...valid, routes })).toEqual(['routes[0].when[0].op must be one of the following values: =, in']);
    expect(await pipeMessages(appValidationPipe(), { ...valid, routes })).toEqual(['routes[0].when[0].op must be one of the following values: =, in']);
  });

  it('stops after the length Nest stops at, saying so', () => {
    const long = 'x'.repeat(MAX_MESSAGES_LENGTH / 4);
    const errors = Array.from({ length: 6 }, (_, i) => Object.assign(new ValidationError(), { property: `p${i}`, constraints: { custom: `p${i} ${long}` } }));
    const messages = validationMessages(errors);
    expect(messages).toHaveLength(4);
    expect(messages[3]).toBe(OMITTED_MESSAGE);
  });
});

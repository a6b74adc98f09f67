// Settings members of routes and creation rules, for the fuzz suite's Jira settings PUT: as sent by anyone
// (mutated, junk included) and as a valid client sends them.
import fc from 'fast-check';
import { anyKey, anyNumber, anyString, junk, mutatedRecord } from './fuzz';

/** Creation rules, routes and value maps, any of their members perhaps junk; `template` and `name` as the spec builds them. */
export function fuzzedRuleMembers(template: fc.Arbitrary<unknown>, name: fc.Arbitrary<unknown>) {
  const condition = mutatedRecord({
    attribute: fc.oneof(fc.constantFrom('environment', 'title', 'classifier', 'fingerprint', 'version'), anyString),
    op: fc.oneof(fc.constantFrom('=', '!=', 'in', 'not in', 'contains', 'matches', '>=', '<', 'exists', 'like', 'IN'), anyString),
    value: fc.oneof(fc.constantFrom('production', '1.2.0', '^prod', '(a+)+$', '(unclosed', '(a)\\1', 'x'.repeat(201)), anyString, anyNumber, fc.array(fc.oneof(anyString, anyNumber), { maxLength: 3 })),
    any: fc.boolean(),
  }, { absent: 3 });
  const conditions = fc.array(condition, { maxLength: 3 });
  const route = mutatedRecord({
    name: fc.oneof(fc.constantFrom('mobile', 'Mobile', 'default', 'web'), anyString),
    when: conditions,
    projectKey: fc.oneof(fc.constantFrom('MOB', 'mob', 'A_1', '1AB'), anyString),
    issueType: fc.oneof(fc.constantFrom('Task', 'Bug'), anyString),
    subject: template,
    labels: template,
    description: template,
    customFields: fc.array(mutatedRecord({ field: name, value: template }), { maxLength: 2 }),
  }, { absent: 6 });
  const valueMaps = fc.dictionary(
    fc.oneof(fc.constantFrom('severity', 'team.owner', '1st'), anyKey),
    fc.oneof({ arbitrary: fc.dictionary(anyKey, fc.oneof({ arbitrary: anyString, weight: 4 }, { arbitrary: junk, weight: 1 }), { maxKeys: 4 }), weight: 4 }, { arbitrary: junk, weight: 1 }),
    { maxKeys: 3 },
  );
  const createRules = mutatedRecord({
    onNewGroup: fc.boolean(),
    minCount: fc.oneof(fc.integer({ min: 1, max: 100 }), anyNumber),
    maxTicketsPerHour: fc.oneof(fc.integer({ min: 1, max: 100 }), anyNumber),
    when: conditions,
    threshold: fc.oneof(fc.constant(null), mutatedRecord({ count: fc.oneof(fc.integer({ min: 1, max: 100 }), anyNumber), withinMinutes: fc.oneof(fc.integer({ min: 1, max: 10_080 }), anyNumber) })),
    onRegression: fc.boolean(),
  }, { absent: 3 });
  return { createRules, route, valueMaps };
}

/** A condition row the settings accept. */
export const validCondition = fc.oneof(
  fc.record({ attribute: fc.constantFrom('environment', 'title', 'classifier'), op: fc.constantFrom('=', '!=', 'contains', '>=', '<'), value: fc.oneof(fc.constantFrom('production', '1.2'), fc.integer()), any: fc.boolean() }, { requiredKeys: ['attribute', 'op', 'value'] }),
  fc.record({ attribute: fc.constantFrom('platform', 'version'), op: fc.constantFrom('in', 'not in'), value: fc.array(fc.oneof(fc.constantFrom('ios', 'web'), fc.integer()), { minLength: 1, maxLength: 3 }) }),
  fc.record({ attribute: fc.constantFrom('title', 'locale'), op: fc.constant('matches'), value: fc.constantFrom('^Null', '(a+)+$', 'en-(GB|US)') }),
  fc.record({ attribute: fc.constantFrom('service', 'classifier'), op: fc.constant('exists') }),
);

/** Creation rules the settings accept. */
export const validCreateRules = fc.record({
  onNewGroup: fc.boolean(),
  minCount: fc.integer({ min: 1, max: 1000 }),
  maxTicketsPerHour: fc.integer({ min: 1, max: 10_000 }),
  when: fc.array(validCondition, { maxLength: 3 }),
  threshold: fc.option(fc.record({ count: fc.integer({ min: 1, max: 1_000_000 }), withinMinutes: fc.integer({ min: 1, max: 10_080 }) })),
  onRegression: fc.boolean(),
}, { requiredKeys: [] });

/** Routes the settings accept: unique names, at most three. */
export const validRoutes = fc.uniqueArray(
  fc.record({
    name: fc.constantFrom('mobile', 'web', 'backend', 'nightly builds'),
    when: fc.array(validCondition, { maxLength: 3 }),
    projectKey: fc.constantFrom('MOB', 'web', 'BE_2'),
    issueType: fc.constantFrom('Task', 'Bug'),
    subject: fc.constantFrom('[mobile] {{title}}', '{{title}}'),
    labels: fc.constantFrom('', 'mobile, $platform'),
  }, { requiredKeys: ['name', 'projectKey'] }),
  { maxLength: 3, selector: (r) => r.name },
);

/** Value maps the settings accept. */
export const validValueMaps = fc.dictionary(fc.constantFrom('severity', 'team.owner', '_x'), fc.dictionary(fc.constantFrom('fatal', 'error', '*', 'toString', ''), fc.constantFrom('Highest', 'High', '')), { maxKeys: 3 });

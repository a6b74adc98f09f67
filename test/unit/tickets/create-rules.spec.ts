import { Condition } from '@app/modules/conditions';
import { CreateRules, SETTINGS_DEFAULTS } from '@app/modules/jira-settings/jira-settings';
import { awaitsTicket, regressedWithoutTicket, RuleCandidate, ticketDue, whenHolds } from '@app/modules/tickets/creation/create-rules';

const rules = (over: Partial<CreateRules> = {}): CreateRules => ({ ...SETTINGS_DEFAULTS.createRules, ...over });
const group = (over: Partial<RuleCandidate> = {}): RuleCandidate => ({ ticketRef: null, ticketState: null, count: 1, regressed: false, ...over });

describe('createRules decisions', () => {
  it('looks at a group for its new-group ticket only while it has no ticket and no ticket state', () => {
    expect(awaitsTicket(group())).toBe(true);
    expect(awaitsTicket(group({ ticketRef: '7' }))).toBe(false);
    for (const ticketState of ['pending', 'skipped', 'failed'] as const) expect(awaitsTicket(group({ ticketState }))).toBe(false);
  });

  it('counts a regressed group as without a ticket when none is linked or being created, and it did not fail', () => {
    expect(regressedWithoutTicket(group({ regressed: true }))).toBe(true);
    expect(regressedWithoutTicket(group({ regressed: true, ticketState: 'skipped' }))).toBe(true);
    expect(regressedWithoutTicket(group({ regressed: true, ticketState: 'pending' }))).toBe(false);
    expect(regressedWithoutTicket(group({ regressed: true, ticketState: 'failed' }))).toBe(false);
    expect(regressedWithoutTicket(group({ regressed: true, ticketRef: '7' }))).toBe(false);
    expect(regressedWithoutTicket(group())).toBe(false);
  });

  it('makes a new group due at minCount, without a threshold', () => {
    expect(ticketDue(group({ count: 2 }), rules({ minCount: 3 }), 0)).toBe(false);
    expect(ticketDue(group({ count: 3 }), rules({ minCount: 3 }), 0)).toBe(true);
    expect(ticketDue(group({ count: 3 }), rules({ minCount: 3, onNewGroup: false }), 0)).toBe(false);
    expect(ticketDue(group({ count: 3, ticketState: 'skipped' }), rules({ minCount: 3 }), 0)).toBe(false);
  });

  it('with a threshold, needs its count within the window, and minCount still as a floor on the total', () => {
    const r = rules({ minCount: 10, threshold: { count: 5, withinMinutes: 10 } });
    expect(ticketDue(group({ count: 50 }), r, 4)).toBe(false);
    expect(ticketDue(group({ count: 50 }), r, 5)).toBe(true);
    expect(ticketDue(group({ count: 9 }), r, 9)).toBe(false);
    expect(ticketDue(group({ count: 10 }), r, 9)).toBe(true);
  });

  it('with onRegression, makes a regressed group without a ticket due whatever the counts; without it, only as a new group', () => {
    const threshold = { count: 100, withinMinutes: 10 };
    expect(ticketDue(group({ regressed: true }), rules({ onRegression: true, onNewGroup: false, minCount: 50, threshold }), 0)).toBe(true);
    expect(ticketDue(group({ regressed: true, ticketState: 'skipped' }), rules({ onRegression: true }), 0)).toBe(true);
    expect(ticketDue(group({ regressed: true, ticketState: 'skipped' }), rules({ onRegression: false }), 0)).toBe(false);
    expect(ticketDue(group({ regressed: true }), rules({ onRegression: false, onNewGroup: false }), 0)).toBe(false);
    expect(ticketDue(group({ regressed: false }), rules({ onRegression: true, onNewGroup: false }), 0)).toBe(false);
  });

  it('holds `when` on the group as stored: all rows, top value unless "any"', () => {
    const subject = { title: 'SIGSEGV in parse_header', fingerprint: 'fp', classifiers: ['SIGSEGV'], attributes: { environment: { staging: 3, production: 2 } } };
    const prod: Condition = { attribute: 'environment', op: '=', value: 'production' };
    expect(whenHolds(rules(), subject, 'version')).toBe(true);
    expect(whenHolds(rules({ when: [prod] }), subject, 'version')).toBe(false);
    expect(whenHolds(rules({ when: [{ ...prod, any: true }] }), subject, 'version')).toBe(true);
    expect(whenHolds(rules({ when: [{ ...prod, any: true }, { attribute: 'title', op: 'contains', value: 'abort' }] }), subject, 'version')).toBe(false);
  });

  it('takes a row it cannot evaluate (a pattern that does not compile) as not holding, rather than throwing', () => {
    const subject = { title: 't', fingerprint: 'fp', classifiers: [], attributes: {} };
    expect(whenHolds(rules({ when: [{ attribute: 'title', op: 'matches', value: '(a' }] }), subject, 'version')).toBe(false);
  });
});

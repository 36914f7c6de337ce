// The NA keeps the yearly calendar data (swapped days, bayram dates); deadlines follow at once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addPerson, addRegistrar, operator } from '../helpers/fixtures.ts';
import { listCalendarDays, removeCalendarDay, setCalendarDay } from '../../src/core/calendar-days.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { RegistryError } from '../../src/core/errors.ts';
import type { Actor } from '../../src/core/actor.ts';

let t: TestRegistry;
let r1: Actor;
before(async () => {
  t = await testRegistry({ start: '2026-06-04T08:00:00Z' }); // a Thursday
  r1 = await addRegistrar(t.reg, 'cal-reg');
  await addPerson(t.reg, r1, 'cal-owner');
});
after(async () => { await t.close(); });

test('a weekday declared a rest day moves the R3.12 review deadline; removing it moves it back', async () => {
  const cal0 = await t.reg.policy.calendar();
  // Thu 4 Jun 2026: Fri 5, Mon 8, Tue 9 -> the deadline is the end of Tue 9 June (Baku).
  assert.equal(cal0.deadline(t.clock.now(), 3).toISOString(), '2026-06-09T20:00:00.000Z');
  await setCalendarDay(t.reg, operator, { date: '2026-06-08', kind: 'rest', name: 'Cabinet decision (test)' });
  const app = await createDomain(t.reg, r1, { name: 'şəki.az', registrant: 'cal-owner' });
  assert.equal(app.status, 'pending');
  assert.ok(app.status === 'pending');
  assert.equal(app.application.dueAt.toISOString(), '2026-06-10T20:00:00.000Z');
  await removeCalendarDay(t.reg, operator, '2026-06-08');
  assert.equal((await t.reg.policy.calendar()).isWorkingDay('2026-06-08'), true);
});

test('a Saturday declared working counts as a working day', async () => {
  await setCalendarDay(t.reg, operator, { date: '2026-06-13', kind: 'working', name: 'swapped day (test)' });
  const cal = await t.reg.policy.calendar();
  assert.equal(cal.isWorkingDay('2026-06-13'), true);
  assert.deepEqual((await listCalendarDays(t.reg, 2026)).map((d) => d.date), ['2026-06-13']);
});

test('only the National Administrator edits the calendar, and bad dates are refused', async () => {
  await assert.rejects(setCalendarDay(t.reg, r1, { date: '2026-06-15', kind: 'rest', name: null }),
    (e) => e instanceof RegistryError && e.eppCode === 2201);
  await assert.rejects(setCalendarDay(t.reg, operator, { date: '2026-02-30', kind: 'rest', name: null }),
    (e) => e instanceof RegistryError && e.eppCode === 2005);
  await assert.rejects(removeCalendarDay(t.reg, operator, '2026-01-05'), (e) => e instanceof RegistryError && e.eppCode === 2303);
});

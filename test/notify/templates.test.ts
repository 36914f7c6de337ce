// The language packs: every notice in Azerbaijani, English and Russian, with the same parameters; rendering.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GROUNDS, LANGS, TEMPLATE_KEYS, TEMPLATE_PARAMS, type TemplateKey } from '../../src/notify/templates/keys.ts';
import { PACKS, isFormatter, placeholders, render, storedParams } from '../../src/notify/render.ts';
import { withOrdinal } from '../../src/notify/templates/az.ts';

/** Sample parameters for every notice. */
const SAMPLE: Record<string, string | number> = {
  name: 'kitab.az', applicationId: 42, registrar: 'Registrar Bir', receivedAt: '2026-03-16T06:30:00Z', dueAt: '2026-03-26T20:00:00Z',
  expiryDate: '2027-03-02', ground: 'R5.1.8', note: 'Nazirliyin razılığı təqdim edilməyib.', refund: '30.00 AZN', suspendedAt: '2026-03-02T09:00:00Z',
  restoredAt: '2026-03-03T09:00:00Z', cancelledAt: '2026-04-01T09:00:00Z', issue: 'The ID number does not match the name.',
  deadline: '2026-03-05T20:00:00Z', gainingRegistrar: 'Registrar İki', losingRegistrar: 'Registrar Bir', requestedAt: '2026-03-02T09:00:00Z',
  autoApproveAt: '2026-03-07T09:00:00Z', completedAt: '2026-03-07T09:00:00Z', newRegistrar: 'Registrar Üç', date: '2026-05-01',
  reportId: 7, category: 'phishing',
  link: 'https://portal.nic.az/account/confirm?token=Zm9vYmFyYmF6cXV4', expiresAt: '2026-03-04T09:00:00Z', orderId: 17, amount: '30.00 AZN',
  reason: 'kitab.az is already registered (R4.12)',
};
const GROUND_OF: Partial<Record<TemplateKey, string>> = { 'domain.suspended': 'R6.2', 'domain.cancelled': 'R7.3.6', 'application.refused': 'R5.1.8' };

function paramsFor(key: TemplateKey): Record<string, string | number> {
  const p = Object.fromEntries(TEMPLATE_PARAMS[key].map((k) => [k, SAMPLE[k]!]));
  if (GROUND_OF[key]) p.ground = GROUND_OF[key];
  return p;
}

describe('notice templates (az, en, ru)', () => {
  it('every key exists in all three languages and uses exactly its declared parameters, with known formatters', () => {
    for (const lang of LANGS) {
      const pack = PACKS[lang];
      assert.deepEqual(Object.keys(pack.templates).sort(), [...TEMPLATE_KEYS].sort(), `${lang}: the same keys`);
      for (const key of TEMPLATE_KEYS) {
        const t = pack.templates[key];
        const used = [...placeholders(t.subject), ...placeholders(t.body)];
        assert.deepEqual([...new Set(used.map((u) => u.param))].sort(), [...TEMPLATE_PARAMS[key]].sort(), `${lang} ${key}: parameters`);
        for (const u of used) if (u.formatter) assert.ok(isFormatter(u.formatter), `${lang} ${key}: formatter ${u.formatter}`);
        assert.ok(!/\{[^}]*$|^[^{]*\}/m.test(t.body.replace(/\{[A-Za-z]+(\|[a-z]+)?\}/g, '')), `${lang} ${key}: unbalanced braces`);
      }
      assert.deepEqual(Object.keys(pack.grounds).sort(), [...GROUNDS].sort(), `${lang}: every ground worded`);
      assert.deepEqual(Object.keys(pack.remedies).sort(), [...GROUNDS].sort(), `${lang}: every ground has a remedy`);
    }
  });

  it('the three languages say different things (no template left untranslated)', () => {
    for (const key of TEMPLATE_KEYS) {
      const bodies = LANGS.map((l) => PACKS[l].templates[key].body);
      assert.equal(new Set(bodies).size, 3, key);
      assert.match(PACKS.az.templates[key].body, /[əğıöşüçİ]/, `${key}: Azerbaijani letters in the az text`);
      assert.match(PACKS.ru.templates[key].body, /[а-яё]/, `${key}: Cyrillic in the ru text`);
    }
  });

  it('renders every notice in every language with no placeholder left, dates in the language\'s form and Baku time', () => {
    for (const key of TEMPLATE_KEYS) {
      for (const lang of LANGS) {
        const r = render(key, lang, storedParams(key, paramsFor(key)), 'az');
        assert.ok(!/[{}]/.test(r.subject + r.body), `${lang} ${key}: ${r.subject}\n${r.body}`);
        if ((TEMPLATE_PARAMS[key] as readonly string[]).includes('name')) assert.ok(r.body.includes('kitab.az'), `${lang} ${key}: the name`);
      }
    }
    const en = render('renewal.request', 'en', storedParams('renewal.request', paramsFor('renewal.request')), 'az');
    assert.equal(en.subject, 'Renew kitab.az before 2 March 2027');
    assert.match(en.body, /clause 6\.1/);
    const az = render('renewal.request', 'az', storedParams('renewal.request', paramsFor('renewal.request')), 'az');
    assert.equal(az.subject, 'kitab.az domen adının qeydiyyatını 02.03.2027 tarixinədək uzadın');
    // 06:30 UTC is 10:30 in Baku (UTC+4).
    const rec = render('application.received', 'az', storedParams('application.received', paramsFor('application.received')), 'az');
    assert.match(rec.body, /16\.03\.2026, saat 10:30 \(Bakı vaxtı\)/);
    const ru = render('application.received', 'ru', storedParams('application.received', paramsFor('application.received')), 'az');
    assert.match(ru.body, /16\.03\.2026, 10:30 \(по бакинскому времени\)/);
  });

  it('an abuse notice names the kind of abuse in the reader\'s language', () => {
    const p = storedParams('abuse.notice', { ...paramsFor('abuse.notice'), category: 'illegal_content' });
    assert.match(render('abuse.notice', 'az', p, 'az').body, /qanunsuz məzmun barədə müraciət/);
    assert.match(render('abuse.notice', 'ru', p, 'az').body, /незаконное содержимое/);
    assert.match(render('abuse.notice', 'en', p, 'az').body, /a report \(no\. 7\) of illegal content concerning/);
  });

  it('a refusal states the R5.1.x ground in words, the refund (R5.2) and the appeal (R5.3)', () => {
    const p = storedParams('application.refused', paramsFor('application.refused'));
    const en = render('application.refused', 'en', p, 'az').body;
    assert.match(en, /Ground \(clause 5\.1\.8 of the Rules\): a geographic name or the name of a prominent person/);
    assert.match(en, /30\.00 AZN, is refunded to you \(clause 5\.2\)/);
    assert.match(en, /clause 5\.3/);
    const az = render('application.refused', 'az', p, 'az').body;
    assert.match(az, /Əsas \(Qaydaların 5\.1\.8-ci bəndi\): coğrafi ad/);
    const ru = render('application.refused', 'ru', p, 'az').body;
    assert.match(ru, /Основание \(пункт 5\.1\.8 Правил\): географическое название/);
  });

  it('Azerbaijani clause numbers take the ordinal suffix of the number read aloud', () => {
    const cases: [string, string][] = [['6.1', '6.1-ci'], ['7.4.3', '7.4.3-cü'], ['8.6', '8.6-cı'], ['5.1.9', '5.1.9-cu'], ['3.10', '3.10-cu'],
      ['3.12', '3.12-ci'], ['4.4', '4.4-cü'], ['9.40', '9.40-cı'], ['1.20', '1.20-ci'], ['2.100', '2.100-cü']];
    for (const [n, want] of cases) assert.equal(withOrdinal(n), want);
    const p = storedParams('domain.suspended', { ...paramsFor('domain.suspended'), ground: 'R7.4.3' });
    assert.match(render('domain.suspended', 'az', p, 'az').body, /Əsas \(Qaydaların 7\.4\.3-cü bəndi\): müvafiq məhkəmə qərarı\./);
  });

  it('an empty note leaves no blank gap; a suspension says what to do for its ground', () => {
    const body = render('application.refused', 'en', storedParams('application.refused', { ...paramsFor('application.refused'), note: '' }), 'az').body;
    assert.ok(!/\n\n\n/.test(body));
    const s = render('domain.suspended', 'en', storedParams('domain.suspended', { ...paramsFor('domain.suspended'), ground: 'R8.7' }), 'az').body;
    assert.match(s, /What you can do: Send up-to-date data/);
  });

  it('refuses a missing, unknown or ill-fitting parameter', () => {
    const p = paramsFor('renewal.request');
    assert.throws(() => storedParams('renewal.request', { name: 'a.az', expiryDate: '2027-01-01' } as never), /parameter 'registrar' is missing/);
    assert.throws(() => storedParams('renewal.request', { ...p, extra: 1 } as never), /unknown parameter\(s\) extra/);
    assert.throws(() => storedParams('domain.suspended', { ...paramsFor('domain.suspended'), ground: 'R5.1.1' }), /not a ground this notice can state/);
    assert.throws(() => storedParams('application.refused', { ...paramsFor('application.refused'), ground: 'R9.9' }), /not a ground/);
    assert.throws(() => storedParams('renewal.request', { ...p, expiryDate: new Date('nonsense') }), /invalid date/);
  });
});

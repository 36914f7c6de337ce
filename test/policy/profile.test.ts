// Profiles are data: '.az' from Resolution No. 63 (R2.2, R3.16, R4.1.1), '.tg' as a second profile.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getProfile, profileTlds } from '../../src/policy/profile.ts';
import { AZ_GEOGRAPHIC, AZ_ORGANISATIONS, AZ_PERSONS, AZ_RESERVED, AZ_STOP } from '../../src/policy/seed-lists.ts';

describe('getProfile', () => {
  it('finds a profile by TLD in any spelling, and throws for unknown ones', () => {
    assert.equal(getProfile('AZ').tld, 'az');
    assert.equal(getProfile('.az').tld, 'az');
    assert.equal(getProfile('tg').tld, 'tg');
    assert.throws(() => getProfile('zz'), /no policy profile/);
    assert.deepEqual(profileTlds().sort(), ['az', 'tg']);
  });
  it('.az: R2.2 zones, restricted gov.az and mil.az, R3.16 periods, R4.1.1 lengths', () => {
    const az = getProfile('az');
    const general = az.zones.filter((z) => z.parent === 'az').map((z) => z.name).sort();
    assert.deepEqual(general, ['biz.az', 'co.az', 'com.az', 'edu.az', 'gov.az', 'info.az', 'int.az', 'mil.az', 'name.az', 'net.az', 'org.az', 'pp.az']);
    assert.deepEqual(az.zones.filter((z) => z.restricted).map((z) => z.name).sort(), ['gov.az', 'mil.az']);
    assert.deepEqual(az.periodYears, { min: 1, max: 10 });
    assert.deepEqual([az.label.minLength, az.label.maxLength], [3, 63]);
    assert.equal(az.transferAutoApproveDays, 5);
    assert.equal(az.review, true);
  });
  it('.tg: ASCII only, no review', () => {
    const tg = getProfile('tg');
    assert.equal(tg.label.idn, false);
    assert.equal(tg.review, false);
    assert.deepEqual(tg.zones.map((z) => z.name), ['tg']);
  });
});

describe('.az starter lists', () => {
  it('cover the cities and the 66 districts', () => {
    const words = new Set(AZ_GEOGRAPHIC.map((e) => e.word));
    for (const w of ['bakı', 'gəncə', 'sumqayıt', 'şəki', 'lənkəran', 'mingəçevir', 'naxçıvan', 'şirvan', 'yevlax', 'xankəndi', 'quba', 'qəbələ', 'şuşa', 'babək', 'şərur']) {
      assert.ok(words.has(w), w);
    }
    assert.ok(words.size >= 66 + 12);
  });
  it('have sensible sizes, entries of at least 3 characters and no duplicates', () => {
    assert.ok(AZ_STOP.length >= 20 && AZ_STOP.length <= 40, `${AZ_STOP.length} stop entries`);
    assert.ok(AZ_RESERVED.length >= 10);
    assert.ok(AZ_PERSONS.length >= 5);
    assert.ok(AZ_ORGANISATIONS.length >= 20);
    for (const list of [AZ_STOP, AZ_RESERVED, AZ_GEOGRAPHIC, AZ_PERSONS, AZ_ORGANISATIONS]) {
      const seen = new Set<string>();
      for (const e of list) {
        assert.ok([...e.word.replaceAll('-', '')].length >= 3, e.word);
        assert.ok(!seen.has(e.word), `duplicate ${e.word}`);
        seen.add(e.word);
      }
    }
  });
});

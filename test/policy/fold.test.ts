// ASCII folding for Azerbaijani (bundles, list matching).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AZ_FOLD, fold, matchKey } from '../../src/policy/fold.ts';
import { canonical } from '../../src/policy/text.ts';

describe('fold', () => {
  it('folds the seven Azerbaijani letters', () => {
    assert.equal(fold('çəğıöşü'), 'cegiosu');
    assert.equal(Object.keys(AZ_FOLD).length, 7);
  });
  it('folds after NFC and locale-free lowercasing', () => {
    assert.equal(fold('Şəki'), 'seki');
    assert.equal(fold('ŞƏKİ'), 'seki');
    assert.equal(fold('BAKI'), 'baki');        // I → i, never ı
    assert.equal(fold('İmişli'), 'imisli');    // İ → i, not i + U+0307
    assert.equal(fold('o\u0308zel'), 'ozel');  // NFD composes first
    assert.equal(fold('ÇĞÖÜ'), 'cgou');
  });
  it('leaves other characters alone', () => {
    assert.equal(fold('bädword'), 'bädword');
    assert.equal(fold('kitab-123'), 'kitab-123');
    assert.equal(fold('ә'), 'ә'); // Cyrillic schwa is not folded
  });
  it('an empty table folds nothing but still canonicalizes', () => {
    assert.equal(fold('ŞƏKİ', {}), 'şəki');
  });
  it('matchKey also drops hyphens', () => {
    assert.equal(matchKey('Milli-Məclis'), 'millimeclis');
    assert.equal(matchKey('f-ü-c-k'), 'fuck');
    assert.equal(matchKey('---'), '');
  });
  it('canonical: İ → i, I → i, i + U+0307 kept (rejected later)', () => {
    assert.equal(canonical('İ'), 'i');
    assert.equal(canonical('I'), 'i');
    assert.equal(canonical('I\u0307'), 'i'); // NFC makes İ first
    assert.equal(canonical('i\u0307'), 'i\u0307');
  });
});

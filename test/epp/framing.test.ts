// RFC 5734 §4 data units: reassembly across split and coalesced reads, and the size limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeFrame, FrameDecoder, FrameError } from '../../src/epp/framing.ts';

test('a data unit is its total length (header included), big-endian, then the XML', () => {
  const f = encodeFrame('<a/>');
  assert.equal(f.readUInt32BE(0), 8);
  assert.equal(f.subarray(4).toString(), '<a/>');
});

test('split reads: a data unit delivered one byte at a time', () => {
  const d = new FrameDecoder(1024);
  const f = encodeFrame('<epp>é</epp>');
  const out: Buffer[] = [];
  for (let i = 0; i < f.length; i++) out.push(...d.push(f.subarray(i, i + 1)));
  assert.deepEqual(out.map(String), ['<epp>é</epp>']);
  assert.equal(d.pending, 0);
});

test('coalesced reads: several data units and part of the next in one read', () => {
  const d = new FrameDecoder(1024);
  const all = Buffer.concat([encodeFrame('<one/>'), encodeFrame('<two/>'), encodeFrame('<three/>')]);
  const first = d.push(all.subarray(0, all.length - 3));
  assert.deepEqual(first.map(String), ['<one/>', '<two/>']);
  assert.ok(d.pending > 0);
  assert.deepEqual(d.push(all.subarray(all.length - 3)).map(String), ['<three/>']);
  assert.equal(d.pending, 0);
});

test('a header split across reads', () => {
  const d = new FrameDecoder(1024);
  const f = encodeFrame('<x/>');
  assert.deepEqual(d.push(f.subarray(0, 2)), []);
  assert.deepEqual(d.push(f.subarray(2, 3)), []);
  assert.deepEqual(d.push(f.subarray(3)).map(String), ['<x/>']);
});

test('exactly the maximum is accepted; one byte more is oversized; far more or less than 5 is absurd', () => {
  const max = 64;
  const ok = new FrameDecoder(max);
  assert.equal(ok.push(encodeFrame('x'.repeat(max - 4))).length, 1);
  const over = new FrameDecoder(max);
  assert.throws(() => over.push(encodeFrame('x'.repeat(max - 3))), (e: unknown) => e instanceof FrameError && e.problem === 'oversized' && e.length === max + 1);
  assert.deepEqual(over.push(encodeFrame('<a/>')), [], 'nothing is decoded after a failure');
  const tiny = Buffer.alloc(4);
  tiny.writeUInt32BE(4, 0);
  assert.throws(() => new FrameDecoder(max).push(tiny), (e: unknown) => e instanceof FrameError && e.problem === 'absurd');
  assert.throws(() => new FrameDecoder(max).push(Buffer.from('<?xml version')), (e: unknown) => e instanceof FrameError && e.problem === 'absurd');
});

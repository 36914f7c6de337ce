// `domen zone check`: verifies signed zones with our own code, independently of how they were signed:
// every authoritative RRset has a valid RRSIG by a key of the DNSKEY RRset within its validity, the DNSKEY
// RRset is signed by a KSK, delegation NS and glue are unsigned, the NSEC/NSEC3 chain is closed and covers
// exactly the names it must with the right type bitmaps, and each child zone's DS matches its KSK.
import { keyTag, dsFor } from './keys.ts';
import { verifyRrsig } from './sign.ts';
import { T, base32hex, bitmapTypes, compareNames, readName, typeName } from './wire.ts';
import { nsec3Hash, type Zone } from './zone-model.ts';

function nsec3Next(rd: Buffer): Buffer {
  const sl = rd[4]!;
  return rd.subarray(6 + sl, 6 + sl + rd[5 + sl]!);
}

export interface CheckResult { zone: string; rrsets: number; signatures: number; delegations: number; problems: string[] }

export function checkZone(zone: Zone, now: Date, parentZone?: Zone): CheckResult {
  const problems: string[] = [];
  const t = Math.floor(now.getTime() / 1000);
  const dnskeys = zone.get(zone.origin, T.DNSKEY)?.rdatas ?? [];
  if (!zone.get(zone.origin, T.SOA)) problems.push('no SOA at the apex');
  if (!zone.get(zone.origin, T.NS)) problems.push('no NS at the apex');
  if (dnskeys.length === 0) problems.push('no DNSKEY at the apex');
  const byTag = new Map<number, Buffer[]>();
  for (const k of dnskeys) byTag.set(keyTag(k), [...(byTag.get(keyTag(k)) ?? []), k]);
  let rrsets = 0;
  let signatures = 0;

  for (const [name, node] of zone.nodes) {
    const authoritative = zone.isAuthoritative(name);
    const isCut = zone.cuts.has(name);
    for (const [type, set] of node) {
      rrsets++;
      const mustSign = authoritative && (!isCut || type === T.DS || type === T.NSEC);
      const what = `${name || '.'} ${typeName(type)}`;
      if (!mustSign) {
        if (set.sigs.length) problems.push(`${what}: signed, but it is ${authoritative ? 'a delegation NS RRset' : 'glue'} (RFC 4035 §2.2)`);
        continue;
      }
      if (set.sigs.length === 0) { problems.push(`${what}: no RRSIG`); continue; }
      let ok = false;
      for (const sig of set.sigs) {
        signatures++;
        const [signer] = readName(sig, 18);
        if (signer !== zone.origin) { problems.push(`${what}: RRSIG signer ${signer} is not the zone`); continue; }
        if (sig.readUInt16BE(0) !== type) { problems.push(`${what}: RRSIG covers another type`); continue; }
        if (t < sig.readUInt32BE(12) || t > sig.readUInt32BE(8)) { problems.push(`${what}: RRSIG outside its validity period`); continue; }
        const keys = byTag.get(sig.readUInt16BE(16)) ?? [];
        if (keys.length === 0) { problems.push(`${what}: RRSIG by key tag ${sig.readUInt16BE(16)}, not in the DNSKEY RRset`); continue; }
        if (type === T.DNSKEY && !keys.some((k) => (k.readUInt16BE(0) & 1) === 1)) problems.push(`${what}: the DNSKEY RRset is signed by a key without the SEP flag`);
        if (keys.some((k) => verifyRrsig(name, type, set, sig, k))) ok = true;
        else problems.push(`${what}: RRSIG does not verify`);
      }
      if (!ok) problems.push(`${what}: no valid signature`);
    }
  }

  // Glue only below delegations; delegations have NS.
  for (const cut of zone.cuts) if (!zone.get(cut, T.NS)) problems.push(`${cut}: delegation without NS`);

  // The denial chain.
  const names = [...zone.nodes.keys()].filter((n) => zone.isAuthoritative(n) && !zone.get(n, T.NSEC3));
  if (zone.nsec3) {
    const param = zone.nsec3;
    const owners = [...zone.nodes.entries()].filter(([, node]) => node.has(T.NSEC3)).map(([n]) => n.slice(0, n.indexOf('.')));
    const sorted = [...owners].sort();
    sorted.forEach((h, i) => {
      const rd = zone.get(zone.nsec3Owner(h), T.NSEC3)!.rdatas[0]!;
      const next = base32hex(nsec3Next(rd));
      if (next !== sorted[(i + 1) % sorted.length]) problems.push(`NSEC3 ${h}: next hashed owner ${next}, expected ${sorted[(i + 1) % sorted.length]}`);
      if ((rd[1]! & 1) !== (zone.denial === 'nsec3-optout' ? 1 : 0)) problems.push(`NSEC3 ${h}: opt-out flag does not match the zone`);
      if (rd.readUInt16BE(2) !== 0 || rd[4] !== 0) problems.push(`NSEC3 ${h}: iterations or salt are not 0 and empty (RFC 9276)`);
    });
    const present = new Set(owners);
    for (const n of [...names, ...zone.ents]) {
      const isCut = zone.cuts.has(n);
      const h = base32hex(nsec3Hash(n, param));
      const needed = !(isCut && zone.denial === 'nsec3-optout' && !zone.get(n, T.DS));
      if (needed && !present.has(h)) { problems.push(`${n}: no NSEC3 record`); continue; }
      if (!present.has(h)) continue;
      const rd = zone.get(zone.nsec3Owner(h), T.NSEC3)!.rdatas[0]!;
      const types = bitmapTypes(rd.subarray(6 + rd[4]! + rd[5 + rd[4]!]!)).sort((a, b) => a - b);
      const node = zone.nodes.get(n);
      let expected: number[] = [];
      if (node) expected = isCut ? [...node.keys()].filter((x) => x === T.NS || x === T.DS) : [...node.keys()];
      if (expected.some((x) => x !== T.NS) || (!isCut && node)) expected.push(T.RRSIG);
      expected = [...new Set(expected)].sort((a, b) => a - b);
      if (types.join() !== expected.join()) problems.push(`${n}: NSEC3 types ${types.map(typeName).join(' ')}, expected ${expected.map(typeName).join(' ')}`);
    }
  } else {
    const owners = [...zone.nodes.entries()].filter(([, node]) => node.has(T.NSEC)).map(([n]) => n).sort(compareNames);
    owners.forEach((n, i) => {
      const next = readName(zone.get(n, T.NSEC)!.rdatas[0]!, 0)[0];
      if (next !== owners[(i + 1) % owners.length]) problems.push(`NSEC ${n}: next ${next}, expected ${owners[(i + 1) % owners.length]}`);
    });
    for (const n of names) if (!zone.get(n, T.NSEC)) problems.push(`${n}: no NSEC record`);
  }

  // The parent's DS for this zone matches one of our KSKs.
  if (parentZone) {
    const ds = parentZone.get(zone.origin, T.DS)?.rdatas ?? [];
    const ksks = dnskeys.filter((k) => (k.readUInt16BE(0) & 1) === 1);
    if (ds.length === 0) problems.push(`no DS for ${zone.origin} in ${parentZone.origin}: the chain of trust is broken`);
    else if (!ds.some((d) => ksks.some((k) => dsFor(zone.origin, k).equals(d)))) problems.push(`the DS for ${zone.origin} in ${parentZone.origin} matches none of its KSKs`);
  }
  return { zone: zone.origin, rrsets, signatures, delegations: zone.cuts.size, problems };
}

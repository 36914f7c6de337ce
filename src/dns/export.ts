// Zone files (RFC 1035 §5) for BIND, Knot and NSD: $ORIGIN-free, absolute names, one RR a line, SOA first,
// then every RR in canonical order with the RRSIGs beside the RRsets they cover.
import { rrText } from './wire.ts';
import type { Zone } from './zone-model.ts';

export function* zoneFileLines(zone: Zone): Generator<string> {
  yield `; zone ${zone.origin === '' ? '.' : zone.origin}, serial ${zone.serial}, ${zone.signed ? `signed (${zone.denial})` : 'unsigned'}, written by domen`;
  for (const rr of zone.records()) yield rrText(rr);
}

export function zoneFile(zone: Zone): string {
  return [...zoneFileLines(zone)].join('\n') + '\n';
}

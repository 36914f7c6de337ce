// NOTIFY (RFC 1996): tells secondaries that a zone has a new serial, over UDP, retried with backoff until
// each secondary answers (RFC 1996 §3.6) or the attempts run out.
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { randomInt } from 'node:crypto';
import { T, nameWire } from './wire.ts';
import { signRequest, verifyResponse, type TsigKey } from './tsig.ts';
import { parseQuery } from './server.ts';

/** A secondary to NOTIFY; with `key`, the NOTIFY is signed with TSIG and only a signed answer counts (RFC 8945). */
export interface NotifyTarget { host: string; port: number; key?: TsigKey }

/**
 * `host@port` (port 53 when left out), or `host@port/keyname` for a secondary that wants NOTIFY signed with
 * one of the TSIG keys (DOMEN_DNS_TSIG), comma-separated.
 */
export function parseTargets(spec: string, keys: TsigKey[] = []): NotifyTarget[] {
  return spec.split(/[\s,]+/).filter(Boolean).map((entry) => {
    const [t, keyName] = entry.split('/') as [string, string | undefined];
    const [host, port] = t.includes('@') ? t.split('@') as [string, string] : [t, '53'];
    if (!Number.isInteger(Number(port)) || Number(port) < 1 || Number(port) > 65535) throw new Error(`DOMEN_DNS_NOTIFY: '${entry}' is not host@port[/tsig-key]`);
    if (keyName === undefined) return { host, port: Number(port) };
    const key = keys.find((k) => k.name === keyName.toLowerCase().replace(/\.$/, ''));
    if (!key) throw new Error(`DOMEN_DNS_NOTIFY: '${entry}' names the TSIG key '${keyName}', which DOMEN_DNS_TSIG does not define`);
    return { host, port: Number(port), key };
  });
}

export function notifyMessage(id: number, zone: string, soa: Buffer | null): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(id, 0);
  h.writeUInt16BE((4 << 11) | 0x0400, 2); // opcode NOTIFY, AA
  h.writeUInt16BE(1, 4);
  h.writeUInt16BE(soa ? 1 : 0, 6);
  const q = Buffer.alloc(4); q.writeUInt16BE(T.SOA, 0); q.writeUInt16BE(1, 2);
  const parts = [h, nameWire(zone), q];
  if (soa) {
    const f = Buffer.alloc(10); f.writeUInt16BE(T.SOA, 0); f.writeUInt16BE(1, 2); f.writeUInt32BE(0, 4); f.writeUInt16BE(soa.length, 8);
    parts.push(nameWire(zone), f, soa);
  }
  return Buffer.concat(parts);
}

/** Sends NOTIFY for zone to every target; resolves with the targets that acknowledged. */
export async function sendNotify(zone: string, soa: Buffer | null, targets: NotifyTarget[], opts: { attempts?: number; firstWaitMs?: number } = {}): Promise<NotifyTarget[]> {
  const attempts = opts.attempts ?? 5;
  const acked: NotifyTarget[] = [];
  await Promise.all(targets.map(async (target) => {
    const socket = dgram.createSocket(isIPv6(target.host) ? 'udp6' : 'udp4');
    const id = randomInt(0, 65536);
    const plain = notifyMessage(id, zone, soa);
    const signed = target.key ? signRequest(plain, target.key, Math.floor(Date.now() / 1000)) : null;
    const msg = signed ? signed.message : plain;
    try {
      let wait = opts.firstWaitMs ?? 1000;
      const answered = new Promise<boolean>((resolve) => {
        socket.on('message', (reply) => {
          // An answer (QR) with NOERROR: a refusal (REFUSED, NOTAUTH) is not an acknowledgement.
          if (reply.length < 4 || reply.readUInt16BE(0) !== id || (reply.readUInt16BE(2) & 0x8000) === 0 || (reply.readUInt16BE(2) & 0xf) !== 0) return;
          if (!signed) { resolve(true); return; }
          // A signed NOTIFY is acknowledged only by an answer signed with the same key (RFC 8945 §5.3.2).
          let tsig = null;
          try { tsig = parseQuery(reply).tsig; } catch { return; }
          if (verifyResponse(reply, tsig, target.key!, signed.mac, Math.floor(Date.now() / 1000))) resolve(true);
        });
      });
      for (let i = 0; i < attempts; i++) {
        socket.send(msg, target.port, target.host);
        const ok = await Promise.race([answered, new Promise<boolean>((r) => setTimeout(() => r(false), wait).unref())]);
        if (ok) { acked.push(target); return; }
        wait *= 2;
      }
    } finally {
      socket.close();
    }
  }));
  return acked;
}

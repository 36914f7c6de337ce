// A real SMTP server (the smtp-server package) on 127.0.0.1 that keeps what it receives, and a minimal
// RFC 5322 / MIME reader for the messages nodemailer sends (encoded-word subjects, quoted-printable or
// base64 text bodies).
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface Received {
  envelopeTo: string[];
  raw: string;
  headers: Map<string, string>;
  subject: string;
  text: string;
  /** X-Domen-Notification-Id */
  notificationId: number;
}

/** RFC 2047 encoded words: =?UTF-8?Q?...?= and =?UTF-8?B?...?=, adjacent ones joined. */
export function decodeWords(s: string): string {
  return s.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _cs: string, enc: string, data: string) => {
    if (enc.toUpperCase() === 'B') return Buffer.from(data, 'base64').toString('utf8');
    const bytes: number[] = [];
    for (let i = 0; i < data.length; i++) {
      const c = data[i]!;
      if (c === '_') bytes.push(0x20);
      else if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(data.slice(i + 1, i + 3))) { bytes.push(parseInt(data.slice(i + 1, i + 3), 16)); i += 2; }
      else bytes.push(c.charCodeAt(0));
    }
    return Buffer.from(bytes).toString('utf8');
  });
}

/** RFC 2045 §6.7 quoted-printable, to UTF-8 text. */
export function decodeQuotedPrintable(s: string): string {
  const soft = s.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const c = soft[i]!;
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) { bytes.push(parseInt(soft.slice(i + 1, i + 3), 16)); i += 2; }
    else bytes.push(...Buffer.from(c, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8').replace(/\r\n/g, '\n');
}

export function parseMessage(raw: string, envelopeTo: string[]): Received {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
  }
  const cte = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const text = cte === 'quoted-printable' ? decodeQuotedPrintable(body)
    : cte === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : body.replace(/\r\n/g, '\n');
  return {
    envelopeTo, raw, headers, subject: decodeWords(headers.get('subject') ?? ''), text,
    notificationId: Number(headers.get('x-domen-notification-id') ?? NaN),
  };
}

export class MailSink {
  readonly messages: Received[] = [];
  /** Recipient addresses refused at RCPT TO, with the reply code (450 temporary, 550 permanent). */
  readonly refuse = new Map<string, number>();
  private server: SMTPServer | null = null;
  port = 0;

  get url(): string { return `smtp://127.0.0.1:${this.port}`; }

  async start(port = this.port): Promise<void> {
    const options: SMTPServerOptions = {
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (address, _session, cb) => {
        const code = this.refuse.get(address.address.toLowerCase());
        if (!code) { cb(); return; }
        const err = Object.assign(new Error(code >= 500 ? 'mailbox unavailable' : 'try again later'), { responseCode: code });
        cb(err);
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          this.messages.push(parseMessage(Buffer.concat(chunks).toString('utf8'), session.envelope.rcptTo.map((r) => r.address)));
          cb();
        });
      },
    };
    const server = new SMTPServer(options);
    server.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  to(address: string): Received[] {
    return this.messages.filter((m) => m.envelopeTo.includes(address.toLowerCase()));
  }
}

// E-mail over SMTP with nodemailer: the transport from DOMEN_SMTP_URL and the message of one notification.
import nodemailer from 'nodemailer';
import type { Lang } from './templates/keys.ts';

/** What deliverPending needs of a transport (a nodemailer Transporter fits). */
export interface MailTransport {
  sendMail(message: MailMessage): Promise<unknown>;
  close?(): void;
}

export interface MailMessage {
  from: string; to: string; subject: string; text: string; messageId: string;
  headers: Record<string, string>;
  textEncoding: 'quoted-printable' | 'base64';
}

export interface MailConfig { smtpUrl: string | null; from: string; maxAttempts: number; intervalMs: number }

export function mailConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MailConfig {
  const max = Number(env.DOMEN_NOTIFY_MAX_ATTEMPTS || 10);
  const interval = Number(env.DOMEN_NOTIFY_INTERVAL || 5);
  if (!Number.isInteger(max) || max < 1) throw new Error('DOMEN_NOTIFY_MAX_ATTEMPTS is a whole number of at least 1');
  if (!(interval > 0)) throw new Error('DOMEN_NOTIFY_INTERVAL is a number of seconds above 0');
  return { smtpUrl: env.DOMEN_SMTP_URL || null, from: env.DOMEN_MAIL_FROM || 'noreply@nic.az', maxAttempts: max, intervalMs: interval * 1000 };
}

/** An SMTP transport for a URL such as smtp://127.0.0.1:2525 or smtps://user:pass@mail.example.az. */
export function smtpTransport(url: string): MailTransport {
  let parsed: URL;
  try { parsed = new URL(url); } catch { throw new Error(`DOMEN_SMTP_URL '${url}' is not a URL (e.g. smtp://127.0.0.1:25)`); }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') throw new Error(`DOMEN_SMTP_URL must start with smtp:// or smtps://, not ${parsed.protocol}//`);
  // Bounded waits: a black-holed server must not hold a delivery pass for minutes.
  return nodemailer.createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }) as unknown as MailTransport;
}

export function mailMessage(n: { id: number; template: string; lang: Lang; recipient: string }, text: { subject: string; body: string; signature: string }, from: string): MailMessage {
  const domain = from.split('@')[1] ?? 'localhost';
  return {
    from, to: n.recipient, subject: text.subject,
    text: `${text.body}\n\n${text.signature}\n`,
    // One Message-ID per notification: a copy sent twice (after a crash mid-pass) is recognisably the same.
    messageId: `<notice-${n.id}@${domain}>`,
    headers: {
      'Content-Language': n.lang,
      'Auto-Submitted': 'auto-generated',        // RFC 3834: no auto-replies to these
      'X-Domen-Notice': n.template,
      'X-Domen-Notification-Id': String(n.id),
    },
    textEncoding: 'quoted-printable',
  };
}

/**
 * Pluggable delivery channels for participant reminders and access codes: e-mail over SMTP
 * (nodemailer), SMS through a provider adapter (no real provider is bundled: a site plugs its own
 * in), and a file channel (JSON lines) that is the default for development and the demo. The
 * choice comes from the environment:
 *
 * - `STEMJOINT_SMTP_URL` (`smtp://user:pass@host:587`, `smtps://…`) and `STEMJOINT_MAIL_FROM` → e-mail over SMTP;
 * - `STEMJOINT_NOTIFY_FILE` (default `./data/notifications.jsonl`) → where the file channel appends;
 * - SMS has no provider by default: messages go to the file channel, marked `sms`.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';

/** One message to one person. */
export interface OutgoingMessage {
  /** E-mail address or phone number. */
  to: string;
  subject: string;
  text: string;
  /** What it is (`epro.diary_reminder`, …), for the channel's own log. */
  kind: string;
  /** The job that sends it (recorded by the file channel; an SMTP header). */
  reference?: string;
}

/** A delivery channel. */
export interface NotificationChannel {
  /** `email`, `sms` or `file`. */
  readonly name: string;
  /** True for the development channel: the access code may then be shown to the staff user as well. */
  readonly development: boolean;
  send(message: OutgoingMessage): Promise<{ messageId: string }>;
}

/** The adapter an SMS provider implements (a site's gateway, e.g. over HTTPS). */
export interface SmsProvider {
  readonly name: string;
  sendSms(to: string, text: string): Promise<{ id: string }>;
}

/** The channels by contact kind. */
export interface NotificationChannels {
  email: NotificationChannel;
  sms: NotificationChannel;
}

/** Appends each message as one JSON line to a file (development; the demo; tests). */
export function createFileChannel(path: string, name = 'file'): NotificationChannel {
  return {
    name,
    development: true,
    send: async (message) => {
      const messageId = randomUUID();
      mkdirSync(dirname(path), { recursive: true });
      appendFileSync(
        path,
        `${JSON.stringify({ messageId, channel: name, at: new Date().toISOString(), ...message })}\n`,
        { mode: 0o600 },
      );
      return { messageId };
    },
  };
}

/** SMTP settings. */
export interface SmtpSettings {
  /** `smtp://[user:pass@]host:port` or `smtps://…`. */
  url: string;
  from: string;
  /** For a test server with a self-signed certificate only. */
  allowSelfSigned?: boolean;
}

/** E-mail over SMTP. */
export function createSmtpChannel(settings: SmtpSettings): NotificationChannel {
  const transport = nodemailer.createTransport(
    settings.url,
    settings.allowSelfSigned ? { tls: { rejectUnauthorized: false } } : {},
  );
  return {
    name: 'email',
    development: false,
    send: async (message) => {
      const info = await transport.sendMail({
        from: settings.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        headers: {
          'X-Stemjoint-Kind': message.kind,
          ...(message.reference ? { 'X-Stemjoint-Reference': message.reference } : {}),
        },
      });
      return { messageId: String(info.messageId) };
    },
  };
}

/** SMS through a provider adapter. */
export function createSmsChannel(provider: SmsProvider): NotificationChannel {
  return {
    name: 'sms',
    development: false,
    send: async (message) => ({ messageId: (await provider.sendSms(message.to, message.text)).id }),
  };
}

/** The default notification file. */
export const DEFAULT_NOTIFY_FILE = './data/notifications.jsonl';

/** Channels from the environment (see the module comment); `smsProvider` plugs a real SMS gateway in. */
export function channelsFromEnv(env: NodeJS.ProcessEnv = process.env, smsProvider?: SmsProvider): NotificationChannels {
  const file = env.STEMJOINT_NOTIFY_FILE ?? DEFAULT_NOTIFY_FILE;
  const email = env.STEMJOINT_SMTP_URL
    ? createSmtpChannel({
        url: env.STEMJOINT_SMTP_URL,
        from: env.STEMJOINT_MAIL_FROM ?? 'STEMJOINT <no-reply@stemjoint.invalid>',
      })
    : createFileChannel(file, 'email-file');
  const sms = smsProvider ? createSmsChannel(smsProvider) : createFileChannel(file, 'sms-file');
  return { email, sms };
}

// Notifications: templates in Azerbaijani, English and Russian; e-mail (SMTP), account inbox, EPP poll queue.
// See docs/notifications.md.
export { notify, type Notice, type Recipient, type NotifyResult, type Queued, type Channel } from './notify.ts';
export { deliverPending, backoffMs, LEASE_MS, type DeliverOptions, type DeliveryReport } from './deliver.ts';
export { startNotifySender, type Sender, type SenderOptions } from './sender.ts';
export { mailConfigFromEnv, smtpTransport, type MailTransport, type MailMessage, type MailConfig } from './mail.ts';
export { listNotifications, showNotification, retryNotifications, queueSummary, inboxOf, type NotificationView, type InboxMessageView } from './admin.ts';
export { render, PACKS, defaultLangFor, timeZoneFor } from './render.ts';
export { TEMPLATE_PARAMS, TEMPLATE_KEYS, GROUNDS, LANGS, type TemplateKey, type TemplateParams, type Lang, type Ground, type ParamValue } from './templates/keys.ts';

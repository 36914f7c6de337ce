// English notices. Placeholders and formatters: see ./keys.ts. Clause numbers are those of the Rules
// (Cabinet of Ministers Resolution No. 63, 2019).
import type { LanguagePack } from './keys.ts';

export const en: LanguagePack = {
  templates: {
    'application.received': {
      subject: 'Application {applicationId} for {name} received',
      body: `Your application no. {applicationId} to register the domain name {name} through {registrar} was received on {receivedAt|datetime}.

Applications are reviewed in the order of their receipt within 3 working days (clause 3.12 of the Rules); the decision is expected by {dueAt|datetime} and will be sent to this e-mail address and to your user account.

This confirmation is sent under clause 3.11 of the Rules.`,
    },
    'application.approved': {
      subject: 'The domain name {name} is registered',
      body: `Your application no. {applicationId} has been approved: the domain name {name} is registered through {registrar} until {expiryDate|date}.

The Registration Agreement takes effect with this decision (clause 3.14 of the Rules). Please keep your contact data up to date: changes must be reported to your registrar within 3 working days (clause 8.5).`,
    },
    'application.refused': {
      subject: 'Application {applicationId} for {name} refused',
      body: `Your application no. {applicationId} to register the domain name {name} through {registrar} has been refused.

Ground (clause {ground|clause} of the Rules): {ground|ground}.
{note}

The amount paid in advance, {refund}, is refunded to you (clause 5.2). You may appeal against the refusal before a court (clause 5.3).`,
    },
    'application.deadline': {
      subject: 'Review deadline near: application {applicationId} ({name})',
      body: `Application no. {applicationId} for {name}, filed through {registrar} on {receivedAt|datetime}, has not been decided yet.

Its review deadline under clause 3.12 of the Rules (3 working days) is {dueAt|datetime}. Please decide it in the review queue before then.`,
    },
    'renewal.request': {
      subject: 'Renew {name} before {expiryDate|date}',
      body: `The registration of the domain name {name} expires on {expiryDate|date}.

To keep the name, ask your registrar, {registrar}, to renew it before that date (clause 6.1 of the Rules). If it is not renewed by the expiry date, the maintenance of the name is suspended and it stops working; if it is not paid within 30 days after that, the registration is cancelled and the name becomes free for anyone to register (clause 6.2).`,
    },
    'domain.suspended': {
      subject: 'Service for {name} suspended',
      body: `The maintenance of the domain name {name} was suspended on {suspendedAt|datetime}: the name no longer answers in the DNS, so web sites and e-mail under it do not work.

Ground (clause {ground|clause} of the Rules): {ground|ground}.
What you can do: {ground|remedy}

Once the cause is removed, service is restored within 24 hours (clause 7.6). Your registrar is {registrar}. You may appeal against this decision before a court (clause 7.7). This notice is sent under clause 7.5 of the Rules.`,
    },
    'domain.restored': {
      subject: 'Service for {name} restored',
      body: `The maintenance of the domain name {name} was restored on {restoredAt|datetime} (clause 7.6 of the Rules): the name is back in the DNS and works again.

Your registrar is {registrar}.`,
    },
    'domain.cancelled': {
      subject: 'Registration of {name} cancelled',
      body: `The registration of the domain name {name} was cancelled on {cancelledAt|datetime} and removed from the registry (clause 7.3 of the Rules).

Ground (clause {ground|clause} of the Rules): {ground|ground}.
{ground|remedy}

Your registrar was {registrar}. You may appeal against this decision before a court (clause 7.7). This notice is sent under clause 7.5 of the Rules.`,
    },
    'accuracy.notice': {
      subject: 'Correct the data of {name} by {deadline|date}',
      body: `The data you gave for the domain name {name} has been found inaccurate:
{issue}

Please send up-to-date data, or documents that confirm the data is correct, to your registrar, {registrar}, by {deadline|datetime} (3 working days from this notice). Otherwise the maintenance of the name will be suspended (clause 8.7 of the Rules).`,
    },
    'transfer.requested': {
      subject: 'Transfer of {name} to {gainingRegistrar} requested',
      body: `A transfer of the domain name {name} from {losingRegistrar} to {gainingRegistrar} was requested on {requestedAt|datetime}.

Unless {losingRegistrar} approves or rejects it earlier, the transfer is approved automatically on {autoApproveAt|datetime}. If you did not ask for this transfer, contact {losingRegistrar} at once. You may freely choose your registrar (clause 1.4 of the Rules).`,
    },
    'transfer.completed': {
      subject: 'Transfer of {name} to {gainingRegistrar} completed',
      body: `The domain name {name} was transferred from {losingRegistrar} to {gainingRegistrar} on {completedAt|datetime}. Its registration is valid until {expiryDate|date}.

From now on {gainingRegistrar} is your registrar for this name.`,
    },
    'registrar.terminated': {
      subject: 'Your registrar changes: {name} moves to {newRegistrar}',
      body: `The National Administrator has terminated the functions of the registrar {registrar} (clause 9.8 of the Rules). The rights and obligations under your Registration Agreement for the domain name {name} pass to {newRegistrar}, which has consented to take them over, as of {date|date}.

Your name keeps working; nothing needs to be done. You may still choose another registrar (clause 1.4).`,
    },
    'abuse.notice': {
      subject: 'Report {reportId} of abuse concerning {name}',
      body: `The National Administrator received on {receivedAt|datetime} a report (no. {reportId}) of {category|abuse} concerning the domain name {name}, registered through {registrar}.

Please look into it and remove the cause if it is confirmed; you may answer to your registrar or to the National Administrator quoting the report number. The registry does not suspend or cancel a name on a report alone: only on a ground of clauses 7.3 or 7.4 of the Rules, of which you would be told.`,
    },
    'account.confirm': {
      subject: 'Confirm your e-mail address for your .az registrant account',
      body: `Dear {name},

To finish creating your registrant account, open this link: {link}

The link works once, until {expiresAt|datetime}. If you did not sign up, ignore this message: the account stays inactive.`,
    },
    'account.exists': {
      subject: 'Your .az registrant account: a new sign-up with this address',
      body: `Someone, perhaps you, asked to create a registrant account with this e-mail address, which already has one. No new account was created.

To use your account, sign in here: {link}

If it was not you, you need do nothing; your account has not changed.`,
    },
    'account.refund': {
      subject: 'Order {orderId}: {amount} refunded',
      body: `The {amount} you paid for order no. {orderId} (the domain name {name}) has been refunded to the means you paid with (clause 5.2 of the Rules).

Reason: {reason}`,
    },
  },
  grounds: {
    'R5.1.1': 'the name is already registered to someone else',
    'R5.1.2': 'the application contains inaccurate information',
    'R5.1.3': 'the name does not meet the requirements of the Rules',
    'R5.1.4': 'the name is on the list of allocated names',
    'R5.1.5': 'the name is on the Stop-list',
    'R5.1.6': 'the registration fee was not paid',
    'R5.1.7': 'there is no written application or consent of the state body or organisation whose name is used (clause 4.8)',
    'R5.1.8': 'a geographic name or the name of a prominent person is used without the consent of that person, their heirs or representatives and the approval of the Ministry (clause 4.2)',
    'R5.1.9': 'the name contains words contrary to public order or morals (clause 4.4)',
    'R7.3.1': 'the domain owner (or their legal representative or heir) asked for it',
    'R7.3.2': 'a court ruling that has entered into force',
    'R7.3.3': 'the legal entity that owned the name was liquidated',
    'R7.3.4': 'the terms of the Registration Agreement were violated',
    'R7.3.5': 'the name is on the Stop-list',
    'R7.3.6': 'the registration was not renewed and not paid within 30 days after the suspension (clause 6.2)',
    'R7.4.1': 'the domain owner (or their legal representative or heir) asked for it',
    'R7.4.2': 'the terms of the Registration Agreement',
    'R7.4.3': 'a court decision',
    'R7.4.4': 'the death, court-confirmed incapacity, or declared disappearance or death of the owner',
    'R7.4.5': 'a court restriction of the owner\'s capacity or a sentence depriving the owner of liberty',
    'R6.2': 'the registration was not renewed by its expiry date',
    'R8.6': 'changes to the registry data were not reported within 3 working days',
    'R8.7': 'the data given for the name was proved inaccurate and was not corrected within 3 working days of the notice',
  },
  abuse: {
    phishing: 'phishing', malware: 'malware distribution', botnet: 'botnet command and control', spam: 'spam',
    fraud: 'fraud', illegal_content: 'illegal content', other: 'other abuse',
  },
  remedies: {
    'R5.1.1': 'You may apply for another name.',
    'R5.1.2': 'You may apply again with accurate data.',
    'R5.1.3': 'You may apply for a name that meets the requirements.',
    'R5.1.4': 'You may apply for another name.',
    'R5.1.5': 'You may apply for another name.',
    'R5.1.6': 'You may apply again and pay the fee.',
    'R5.1.7': 'You may apply again with the written consent of the body or organisation.',
    'R5.1.8': 'You may apply again with the consent and the Ministry\'s approval.',
    'R5.1.9': 'You may apply for another name.',
    'R7.3.1': 'The name is free; anyone may register it again.',
    'R7.3.2': 'The name is free; anyone may register it again.',
    'R7.3.3': 'The name is free; anyone may register it again.',
    'R7.3.4': 'The name is free; anyone may register it again.',
    'R7.3.5': 'The name cannot be registered again.',
    'R7.3.6': 'The name is free; anyone may register it again.',
    'R7.4.1': 'Ask your registrar when you want the service back.',
    'R7.4.2': 'Contact your registrar to settle the terms of the Registration Agreement.',
    'R7.4.3': 'Service comes back when the court decision no longer requires the suspension; send it to your registrar.',
    'R7.4.4': 'The heirs or legal representatives may contact the registrar with the documents.',
    'R7.4.5': 'A legal representative may contact the registrar with the documents.',
    'R6.2': 'Renew the registration and pay through your registrar. Without payment within 30 days of the suspension the registration is cancelled and the name released (clause 6.2).',
    'R8.6': 'Report the changed data to your registrar.',
    'R8.7': 'Send up-to-date data, or documents that confirm your data, to your registrar.',
  },
  date: '{d} {month} {y}',
  datetime: '{date}, {time} {zone}',
  months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  timeZone: { 'Asia/Baku': 'Baku time', UTC: 'UTC' },
  signature: `--
The National Administrator of domain names
This message was sent automatically.`,
};

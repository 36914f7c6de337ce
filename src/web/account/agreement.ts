// The Registration Agreement the registrant reads and accepts before applying (R3.10, A12.3): the model agreement
// of Resolution No. 63 (English translation in src/web/content). Its version names the text by its SHA-256, so an
// acceptance recorded with it says exactly which words were accepted.
import { createHash } from 'node:crypto';
import { MODEL_AGREEMENT } from '../content/resolution.ts';

export const AGREEMENT_TEXT = MODEL_AGREEMENT.trim();
export const AGREEMENT_VERSION = `resolution-63-2019-model@${createHash('sha256').update(AGREEMENT_TEXT).digest('hex').slice(0, 12)}`;

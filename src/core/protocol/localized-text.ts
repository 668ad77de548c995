/** Languages every label of the protocol is written in: Danish (participants, sites) and English. */
export const LOCALES = ['da', 'en'] as const;

/** A supported label language. */
export type Locale = (typeof LOCALES)[number];

/** A label in Danish and English. The wording is our own; licensed instrument text is never stored here. */
export interface LocalizedText {
  readonly da: string;
  readonly en: string;
}

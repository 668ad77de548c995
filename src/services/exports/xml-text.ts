/**
 * XML text for the streaming ODM writer: escaping (and removing characters XML 1.0 cannot carry)
 * and small element builders that return strings, so a writer can assemble one subject's XML and
 * hand it to the sink in one piece.
 */

/** Characters XML 1.0 does not allow (C0 controls other than tab, LF, CR; lone surrogates; U+FFFE/F). */
const INVALID_XML =
  // eslint-disable-next-line no-control-regex -- exactly these control characters are meant
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text content. */
export function escapeText(s: string): string {
  return s.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes an attribute value (double-quoted); line breaks and tabs are kept as character references. */
export function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

/** Attributes of an element; undefined and null values are left out. */
export type XmlAttrs = Readonly<Record<string, string | number | undefined | null>>;

function attrText(attrs: XmlAttrs): string {
  let out = '';
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== null) out += ` ${k}="${escapeAttr(String(v))}"`;
  }
  return out;
}

/** `<name attrs>` */
export const openTag = (name: string, attrs: XmlAttrs = {}): string => `<${name}${attrText(attrs)}>`;

/** `</name>` */
export const closeTag = (name: string): string => `</${name}>`;

/** `<name attrs/>` */
export const emptyTag = (name: string, attrs: XmlAttrs = {}): string => `<${name}${attrText(attrs)}/>`;

/** `<name attrs>text</name>` */
export const textElement = (name: string, text: string, attrs: XmlAttrs = {}): string =>
  `<${name}${attrText(attrs)}>${escapeText(text)}</${name}>`;

/** `<name attrs>children</name>` (children already XML). */
export const element = (name: string, attrs: XmlAttrs, children: string): string =>
  `<${name}${attrText(attrs)}>${children}</${name}>`;

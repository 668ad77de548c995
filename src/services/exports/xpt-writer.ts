/**
 * SAS transport files, version 5 (the XPORT format of SAS technical note TS-140, which FDA and PMDA
 * take for SDTM datasets): 80-byte records; a library header, one member (dataset) header with a
 * 140-byte NAMESTR per variable, then the observations as fixed-width records. Numbers are 8-byte
 * IBM System/360 hexadecimal floating point (missing = `.` then zeros); names at most 8 characters,
 * labels 40, character values 200 bytes, blank-padded. No npm package writes this format (the one
 * XPT package found, xport-js, only reads), so it is written here from the published layout; the
 * tests read the files back with an independent reader and, where Python's pandas is installed,
 * with `pandas.read_sas(format="xport")`.
 */

/** One variable of a dataset. */
export interface XptVariable {
  /** At most 8 characters: letters, digits, underscore; not starting with a digit. */
  readonly name: string;
  /** At most 40 characters. */
  readonly label: string;
  readonly type: 'char' | 'num';
  /** Bytes per value: 1–200 for character variables, 8 for numbers. */
  readonly length: number;
}

/** A dataset's header: name (≤ 8) and label (≤ 40). */
export interface XptDataset {
  readonly name: string;
  readonly label: string;
  readonly variables: readonly XptVariable[];
}

/** The longest character value version 5 allows. */
export const XPT_MAX_CHAR_LENGTH = 200;

const RECORD = 80;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** `ddMMMyy:hh:mm:ss`, the transport file's timestamp. */
function sasDateTime(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}${MONTHS[d.getUTCMonth()]}${p(d.getUTCFullYear() % 100)}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** ASCII text padded with blanks (or cut) to `width`. */
function field(text: string, width: number): string {
  return text.length >= width ? text.slice(0, width) : text + ' '.repeat(width - text.length);
}

function record(text: string): Buffer {
  if (text.length !== RECORD) throw new Error(`an XPT header record must be 80 bytes, not ${text.length}`);
  return Buffer.from(text, 'latin1');
}

const headerRecord = (kind: string, numbers = '0'.repeat(30)): Buffer =>
  record(`HEADER RECORD*******${field(kind, 8)}HEADER RECORD!!!!!!!${numbers}  `);

/** Bytes of `text` as UTF-8, cut at a character boundary to at most `max` bytes. */
export function utf8Truncated(text: string, max: number): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= max) return bytes;
  let end = max;
  // Step back over continuation bytes (10xxxxxx) so no character is split.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end);
}

/**
 * A number as IBM System/360 double-precision hexadecimal floating point: sign bit, 7-bit excess-64
 * exponent of 16, 56-bit fraction in [1/16, 1). Every IEEE double in range converts exactly (53
 * significant bits fit in the 56-bit fraction whatever the hexadecimal normalisation loses).
 * null, NaN and infinities are SAS's ordinary missing value `.`.
 */
export function ibmDouble(value: number | null): Buffer {
  const out = Buffer.alloc(8);
  if (value === null || !Number.isFinite(value)) {
    out[0] = 0x2e;
    return out;
  }
  if (value === 0) return out;
  const sign = value < 0 ? 0x80 : 0;
  let fraction = Math.abs(value);
  let exponent = 0;
  while (fraction >= 1) {
    fraction /= 16;
    exponent += 1;
  }
  while (fraction < 1 / 16) {
    fraction *= 16;
    exponent -= 1;
  }
  if (exponent + 64 > 127) throw new Error(`${value} is too large for an IBM floating-point number`);
  if (exponent + 64 < 0) return out; // below 16^-65: zero
  // fraction ≥ 2^-4 has no bits below 2^-56, so this product is an exact integer below 2^56.
  const mantissa = BigInt(fraction * 2 ** 56);
  out[0] = sign | (exponent + 64);
  for (let i = 7; i >= 1; i--) out[i] = Number((mantissa >> BigInt((7 - i) * 8)) & 0xffn);
  return out;
}

/** The library header: three 80-byte records. */
export function xptLibraryHeader(created: Date): Buffer {
  const stamp = sasDateTime(created);
  return Buffer.concat([
    headerRecord('LIBRARY'),
    record(
      `${field('SAS', 8)}${field('SAS', 8)}${field('SASLIB', 8)}${field('9.4', 8)}${field('NODEJS', 8)}${' '.repeat(24)}${stamp}`,
    ),
    record(`${stamp}${' '.repeat(64)}`),
  ]);
}

const SAS_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,7}$/;

/** The member header of one dataset: descriptor records and a NAMESTR per variable, then the OBS header. */
export function xptMemberHeader(dataset: XptDataset, created: Date): Buffer {
  if (!SAS_NAME.test(dataset.name)) throw new Error(`${dataset.name} is not a SAS V5 dataset name`);
  const stamp = sasDateTime(created);
  const parts: Buffer[] = [
    headerRecord('MEMBER', `${'0'.repeat(17)}16${'0'.repeat(8)}140`),
    headerRecord('DSCRPTR'),
    record(
      `${field('SAS', 8)}${field(dataset.name.toUpperCase(), 8)}${field('SASDATA', 8)}${field('9.4', 8)}${field('NODEJS', 8)}${' '.repeat(24)}${stamp}`,
    ),
    record(`${stamp}${' '.repeat(16)}${field(asciiLabel(dataset.label), 40)}${field('', 8)}`),
    headerRecord('NAMESTR', `000000${String(dataset.variables.length).padStart(4, '0')}${'0'.repeat(20)}`),
  ];
  const names = Buffer.alloc(Math.ceil((dataset.variables.length * 140) / RECORD) * RECORD, 0x20);
  let position = 0;
  dataset.variables.forEach((v, i) => {
    if (!SAS_NAME.test(v.name)) throw new Error(`${v.name} is not a SAS V5 variable name`);
    if (v.type === 'num' ? v.length !== 8 : v.length < 1 || v.length > XPT_MAX_CHAR_LENGTH) {
      throw new Error(`${v.name}: length ${v.length} is not allowed for a ${v.type} variable`);
    }
    const n = Buffer.alloc(140, 0);
    n.writeInt16BE(v.type === 'num' ? 1 : 2, 0); // ntype
    n.writeInt16BE(0, 2); // nhfun
    n.writeInt16BE(v.length, 4); // nlng
    n.writeInt16BE(i + 1, 6); // nvar0
    n.write(field(v.name.toUpperCase(), 8), 8, 'latin1'); // nname
    n.write(field(asciiLabel(v.label), 40), 16, 'latin1'); // nlabel
    n.write(field('', 8), 56, 'latin1'); // nform
    // nfl, nfd, nfj (64..69) and nfill (70..71) stay zero
    n.write(field('', 8), 72, 'latin1'); // niform
    // nifl, nifd (80..83) stay zero
    n.writeInt32BE(position, 84); // npos
    n.copy(names, i * 140);
    position += v.length;
  });
  parts.push(names, headerRecord('OBS'));
  return Buffer.concat(parts);
}

/** Labels are ASCII in version 5: other characters become `?`. */
function asciiLabel(label: string): string {
  return label.replace(/[^\x20-\x7e]/g, '?').slice(0, 40);
}

/** Width in bytes of one observation. */
export function xptRowLength(dataset: XptDataset): number {
  return dataset.variables.reduce((n, v) => n + v.length, 0);
}

/** One observation: each variable's bytes at its position (numbers as IBM doubles, text blank-padded). */
export function xptRow(dataset: XptDataset, values: readonly (string | number | null)[]): Buffer {
  const row = Buffer.alloc(xptRowLength(dataset), 0x20);
  let position = 0;
  dataset.variables.forEach((v, i) => {
    const value = values[i] ?? null;
    if (v.type === 'num') {
      const n =
        typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : null;
      ibmDouble(n === null || Number.isNaN(n) ? null : n).copy(row, position);
    } else if (value !== null) {
      utf8Truncated(String(value), v.length).copy(row, position);
    }
    position += v.length;
  });
  return row;
}

/** Blanks that complete the last 80-byte record after `observationBytes` bytes of observations. */
export function xptEndPadding(observationBytes: number): Buffer {
  const rest = observationBytes % RECORD;
  return Buffer.alloc(rest === 0 ? 0 : RECORD - rest, 0x20);
}

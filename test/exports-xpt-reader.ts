/**
 * A SAS transport (XPORT version 5) reader for the tests, written from the published layout (SAS
 * technical note TS-140) and not from our writer: it finds the header records by their text, reads
 * each NAMESTR field at its documented offset and converts IBM hexadecimal floating point with plain
 * arithmetic. It checks the layout as it goes and throws on anything out of place.
 */

/** One dataset read back. */
export interface XptFile {
  readonly name: string;
  readonly label: string;
  readonly variables: { name: string; label: string; type: 'num' | 'char'; length: number; position: number }[];
  readonly rows: (string | number | null)[][];
}

const text = (b: Buffer, from: number, length: number): string => b.subarray(from, from + length).toString('latin1');

function expectHeader(b: Buffer, offset: number, kind: string): void {
  const got = text(b, offset, 48);
  const want = `HEADER RECORD*******${kind.padEnd(8)}HEADER RECORD!!!!!!!`;
  if (got !== want) throw new Error(`expected the ${kind} header at byte ${offset}, found "${got}"`);
}

/** IBM System/360 double → number: (-1)^s × 0.F × 16^(E−64). */
export function decodeIbm(bytes: Buffer): number | null {
  if (bytes[0] === 0x2e && bytes.subarray(1).every((x) => x === 0)) return null;
  if (bytes.every((x) => x === 0)) return 0;
  let fraction = 0;
  for (let i = 1; i < 8; i++) fraction = fraction * 256 + bytes[i]!;
  const exponent = (bytes[0]! & 0x7f) - 64;
  const magnitude = (fraction / 2 ** 56) * 16 ** exponent;
  return bytes[0]! & 0x80 ? -magnitude : magnitude;
}

/** Reads one single-dataset transport file. */
export function readXpt(b: Buffer): XptFile {
  if (b.length % 80 !== 0) throw new Error(`the file is ${b.length} bytes, not a whole number of 80-byte records`);
  expectHeader(b, 0, 'LIBRARY');
  if (text(b, 80, 8) !== 'SAS     ' || text(b, 96, 8) !== 'SASLIB  ') throw new Error('no SASLIB real header');
  expectHeader(b, 240, 'MEMBER');
  if (text(b, 240 + 48, 30) !== '000000000000000001600000000140') throw new Error('the NAMESTR size is not 140');
  expectHeader(b, 320, 'DSCRPTR');
  const name = text(b, 400 + 8, 8).trimEnd();
  if (text(b, 400 + 16, 8) !== 'SASDATA ') throw new Error('no SASDATA member header');
  const label = text(b, 480 + 32, 40).trimEnd();
  expectHeader(b, 560, 'NAMESTR');
  const count = Number(text(b, 560 + 54, 4));
  const variables: XptFile['variables'] = [];
  for (let i = 0; i < count; i++) {
    const n = 640 + i * 140;
    const type = b.readInt16BE(n);
    variables.push({
      type:
        type === 1
          ? 'num'
          : type === 2
            ? 'char'
            : (() => {
                throw new Error(`variable ${i + 1}: type ${type}`);
              })(),
      length: b.readInt16BE(n + 4),
      name: text(b, n + 8, 8).trimEnd(),
      label: text(b, n + 16, 40).trimEnd(),
      position: b.readInt32BE(n + 84),
    });
    if (b.readInt16BE(n + 6) !== i + 1) throw new Error(`variable ${i + 1}: varnum ${b.readInt16BE(n + 6)}`);
  }
  const obsHeader = 640 + Math.ceil((count * 140) / 80) * 80;
  expectHeader(b, obsHeader, 'OBS');
  const width = variables.reduce((s, v) => s + v.length, 0);
  const rows: XptFile['rows'] = [];
  const data = b.subarray(obsHeader + 80);
  for (let at = 0; at + width <= data.length; at += width) {
    const slice = data.subarray(at, at + width);
    // The last record is padded with blanks: a row of nothing but blanks is padding.
    if (slice.every((x) => x === 0x20)) break;
    rows.push(
      variables.map((v) => {
        const cell = slice.subarray(v.position, v.position + v.length);
        if (v.type === 'num') return decodeIbm(cell);
        const s = cell.toString('utf8').replace(/ +$/, '');
        return s === '' ? null : s;
      }),
    );
  }
  return { name, label, variables, rows };
}

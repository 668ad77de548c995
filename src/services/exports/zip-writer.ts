/**
 * A streaming ZIP writer (PKWARE APPNOTE 6.3: local headers with data descriptors, deflate, central
 * directory), so a directory export can be downloaded as one file without being built in memory.
 * Each incoming chunk is compressed by its own raw-deflate call ending in a sync flush; chunks of a
 * deflate stream need not share a dictionary, so their concatenation plus a final empty block is a
 * valid stream. Sizes stay below 4 GiB per entry and 65,535 entries (no ZIP64), which the export
 * checks; CRC-32 is computed incrementally.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';

/** One entry being written. */
export interface ZipEntryWriter {
  write(data: Buffer): Promise<void>;
  end(): Promise<void>;
}

/** A ZIP archive being written. */
export interface ZipWriter {
  openEntry(name: string): ZipEntryWriter;
  /** Writes the central directory. */
  finish(): Promise<void>;
}

interface CentralRecord {
  name: Buffer;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
  time: number;
  date: number;
}

const LIMIT = 0xffffffff;
/** The final, empty deflate block that closes a stream of sync-flushed blocks. */
const FINAL_BLOCK = deflateRawSync(Buffer.alloc(0));

function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.max(1980, d.getUTCFullYear());
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

/**
 * Creates a ZIP writer that hands its bytes to `out` in order.
 *
 * @param out - receives each piece of the archive; awaited (back-pressure)
 * @param now - the timestamp of the entries
 */
export function createZipWriter(out: (chunk: Buffer) => Promise<void>, now: Date = new Date()): ZipWriter {
  let offset = 0;
  const central: CentralRecord[] = [];
  let open = false;
  const { time, date } = dosDateTime(now);
  const emit = async (chunk: Buffer): Promise<void> => {
    offset += chunk.length;
    if (offset > LIMIT) throw new Error('the ZIP archive would exceed 4 GiB; export to a directory instead');
    await out(chunk);
  };
  return {
    openEntry(entryName) {
      if (open) throw new Error('the previous ZIP entry is still open');
      open = true;
      const name = Buffer.from(entryName, 'utf8');
      const headerOffset = offset;
      let crc = 0;
      let size = 0;
      let compressed = 0;
      let started = false;
      const start = async (): Promise<void> => {
        if (started) return;
        started = true;
        const h = Buffer.alloc(30);
        h.writeUInt32LE(0x04034b50, 0);
        h.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
        h.writeUInt16LE(0x0808, 6); // bit 3: sizes in the data descriptor; bit 11: UTF-8 names
        h.writeUInt16LE(8, 8); // deflate
        h.writeUInt16LE(time, 10);
        h.writeUInt16LE(date, 12);
        // crc and sizes (14..25) stay zero: they follow in the data descriptor
        h.writeUInt16LE(name.length, 26);
        h.writeUInt16LE(0, 28);
        await emit(Buffer.concat([h, name]));
      };
      return {
        async write(data) {
          await start();
          if (data.length === 0) return;
          crc = crc32(data, crc);
          size += data.length;
          const packed = deflateRawSync(data, { finishFlush: constants.Z_SYNC_FLUSH });
          compressed += packed.length;
          if (size > LIMIT || compressed > LIMIT) {
            throw new Error(`ZIP entry ${entryName} would exceed 4 GiB; export to a directory instead`);
          }
          await emit(packed);
        },
        async end() {
          await start();
          compressed += FINAL_BLOCK.length;
          await emit(FINAL_BLOCK);
          const d = Buffer.alloc(16);
          d.writeUInt32LE(0x08074b50, 0);
          d.writeUInt32LE(crc >>> 0, 4);
          d.writeUInt32LE(compressed, 8);
          d.writeUInt32LE(size, 12);
          await emit(d);
          central.push({ name, crc: crc >>> 0, compressed, size, offset: headerOffset, time, date });
          open = false;
        },
      };
    },
    async finish() {
      if (open) throw new Error('a ZIP entry is still open');
      if (central.length > 0xffff) throw new Error('too many files for a ZIP archive');
      const start = offset;
      for (const r of central) {
        const c = Buffer.alloc(46);
        c.writeUInt32LE(0x02014b50, 0);
        c.writeUInt16LE(0x0314, 4); // made by: UNIX, 2.0
        c.writeUInt16LE(20, 6);
        c.writeUInt16LE(0x0808, 8);
        c.writeUInt16LE(8, 10);
        c.writeUInt16LE(r.time, 12);
        c.writeUInt16LE(r.date, 14);
        c.writeUInt32LE(r.crc, 16);
        c.writeUInt32LE(r.compressed, 20);
        c.writeUInt32LE(r.size, 24);
        c.writeUInt16LE(r.name.length, 28);
        c.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: a regular file, rw-r--r--
        c.writeUInt32LE(r.offset, 42);
        await emit(Buffer.concat([c, r.name]));
      }
      const e = Buffer.alloc(22);
      e.writeUInt32LE(0x06054b50, 0);
      e.writeUInt16LE(central.length, 8);
      e.writeUInt16LE(central.length, 10);
      e.writeUInt32LE(offset - start, 12);
      e.writeUInt32LE(start, 16);
      await emit(e);
    },
  };
}

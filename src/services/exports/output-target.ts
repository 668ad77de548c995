/**
 * Where export bytes go, with back-pressure and a running SHA-256: a single file (ODM), a directory
 * of files (CSV, SDTM, FHIR) or a ZIP stream (downloads of directory exports). Writers produce text
 * in small pieces and `await` every write, so memory stays flat however large the study is.
 */
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import type { Writable } from 'node:stream';
import { createZipWriter, type ZipWriter } from './zip-writer.js';

/** One finished file of an export: its path inside the export, size and content hash. */
export interface WrittenFile {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** A text output that is written in pieces; `end` resolves with what was written. */
export interface TextSink {
  /** Appends text (UTF-8) or bytes (binary formats such as XPT); resolves once the destination can take more. */
  write(data: string | Buffer): Promise<void>;
  /** Closes the output. */
  end(): Promise<WrittenFile>;
}

/** A set of files written one after the other. */
export interface FileTarget {
  /** Opens the next file; the previous one must have been ended. */
  openFile(path: string): TextSink;
  /** Closes the target (a ZIP writes its central directory); resolves with every file written. */
  close(): Promise<WrittenFile[]>;
}

/** Buffers small writes into chunks of this size before they reach the stream. */
const CHUNK = 64 * 1024;

/** Writes to a stream, honouring back-pressure, and hashes and counts the bytes. */
async function writeAll(stream: Writable, data: Buffer): Promise<void> {
  if (stream.destroyed) throw new Error('the output was closed before the export finished');
  if (!stream.write(data)) {
    await new Promise<void>((resolve, reject) => {
      const onDrain = (): void => {
        stream.off('error', onError);
        stream.off('close', onClose);
        resolve();
      };
      const onError = (e: Error): void => {
        stream.off('drain', onDrain);
        stream.off('close', onClose);
        reject(e);
      };
      const onClose = (): void => {
        stream.off('drain', onDrain);
        stream.off('error', onError);
        reject(new Error('the output was closed before the export finished'));
      };
      stream.once('drain', onDrain);
      stream.once('error', onError);
      stream.once('close', onClose);
    });
  }
}

/** A sink that collects text into chunks, hashes them and hands each chunk to `flush`. */
function chunkedSink(path: string, flush: (chunk: Buffer) => Promise<void>, finish: () => Promise<void>): TextSink {
  const hash: Hash = createHash('sha256');
  let bytes = 0;
  let pending: string[] = [];
  let pendingLength = 0;
  const drain = async (): Promise<void> => {
    if (pending.length === 0) return;
    const chunk = Buffer.from(pending.join(''), 'utf8');
    pending = [];
    pendingLength = 0;
    hash.update(chunk);
    bytes += chunk.length;
    await flush(chunk);
  };
  return {
    async write(data) {
      if (typeof data === 'string') {
        pending.push(data);
        pendingLength += data.length;
        if (pendingLength >= CHUNK) await drain();
        return;
      }
      // Bytes: whatever text came first goes out first.
      await drain();
      if (data.length === 0) return;
      hash.update(data);
      bytes += data.length;
      await flush(data);
    },
    async end() {
      await drain();
      await finish();
      return { path, bytes, sha256: hash.digest('hex') };
    },
  };
}

/** A sink over any writable stream (an HTTP response, a file); `end` ends the stream unless told not to. */
export function streamSink(stream: Writable, path: string, options: { endStream?: boolean } = {}): TextSink {
  return chunkedSink(
    path,
    (chunk) => writeAll(stream, chunk),
    async () => {
      if (options.endStream === false) return;
      await new Promise<void>((resolve, reject) => {
        stream.once('error', reject);
        stream.end(() => resolve());
      });
    },
  );
}

/** A sink that writes one file on disk (parent folders are created). */
export function fileSink(filePath: string, displayPath = filePath): TextSink {
  mkdirSync(dirname(filePath), { recursive: true });
  return streamSink(createWriteStream(filePath), displayPath);
}

/** Refuses paths that would leave the export folder. */
function safeRelative(path: string): string {
  const n = normalize(path);
  if (n.startsWith('..') || n.startsWith(sep) || n.includes(`${sep}..${sep}`)) {
    throw new Error(`export file path ${path} leaves the export folder`);
  }
  return n;
}

/** Files in a directory on disk. */
export function directoryTarget(dir: string): FileTarget {
  mkdirSync(dir, { recursive: true });
  const written: WrittenFile[] = [];
  let open = false;
  return {
    openFile(path) {
      if (open) throw new Error('the previous export file is still open');
      open = true;
      const sink = fileSink(join(dir, safeRelative(path)), path);
      return {
        write: (data) => sink.write(data),
        async end() {
          const file = await sink.end();
          written.push(file);
          open = false;
          return file;
        },
      };
    },
    close: async () => [...written],
  };
}

/** Files as entries of one ZIP archive streamed to `stream` (for downloads). */
export function zipTarget(stream: Writable): FileTarget {
  const zip: ZipWriter = createZipWriter((chunk) => writeAll(stream, chunk));
  const written: WrittenFile[] = [];
  return {
    openFile(path) {
      const entry = zip.openEntry(safeRelative(path).split(sep).join('/'));
      const sink = chunkedSink(
        path,
        (chunk) => entry.write(chunk),
        () => entry.end(),
      );
      return {
        write: (data) => sink.write(data),
        async end() {
          const file = await sink.end();
          written.push(file);
          return file;
        },
      };
    },
    async close() {
      await zip.finish();
      await new Promise<void>((resolve, reject) => {
        stream.once('error', reject);
        stream.end(() => resolve());
      });
      return [...written];
    },
  };
}

/**
 * Progress of a long export, reported in participants. The services only call this interface; the
 * command line draws a bar on stderr when it is a terminal (cli-progress), the server reports
 * nothing.
 */

/** Receives progress. */
export interface ExportProgress {
  /** A new pass over the participants begins (`total` participants; `label` names the file or domain). */
  begin(label: string, total: number): void;
  /** `n` more participants are done. */
  advance(n: number): void;
  /** The export has finished (or failed). */
  finish(): void;
}

/** Progress that goes nowhere. */
export const SILENT_PROGRESS: ExportProgress = {
  begin: () => undefined,
  advance: () => undefined,
  finish: () => undefined,
};

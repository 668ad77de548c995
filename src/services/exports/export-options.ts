/** Options every multi-file export (CSV, SDTM, FHIR) receives from the export runner. */
import type { WrittenFile } from './output-target.js';
import type { ExportProgress } from './progress.js';

/** Options of a multi-file export. */
export interface MultiFileOptions {
  /** The export's time (file headers, Dataset-JSON creation time). */
  readonly now: Date;
  readonly progress: ExportProgress;
  /** Participants the export covers (progress totals). */
  readonly total: number;
  /** Kit → arm, present only for unblinded exports. */
  readonly kitArms?: ReadonlyMap<string, string>;
  /** Participants per page. */
  readonly pageSize?: number;
}

/** What a multi-file export wrote. */
export interface MultiFileSummary {
  readonly participants: number;
  readonly files: WrittenFile[];
}

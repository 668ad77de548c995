/** The study overview. */
import { api } from './client.js';
import type { StudyOverview } from './types.js';

/** Identity, protocol version, sites and lock state of the study. */
export const fetchStudy = (): Promise<StudyOverview> => api.get<StudyOverview>('/api/v1/study');

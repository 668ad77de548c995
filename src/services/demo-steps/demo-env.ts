/** What every demo step receives: the context, the seeded generator, the accounts and the participants. */
import type { SeededRandom } from '../../core/simulation/seeded-random.js';
import type { Actor, ServiceContext } from '../context.js';

/** A participant of the simulated trial, as the demo steps pick them. */
export interface DemoParticipant {
  id: string;
  studyId: string;
  screeningId: string;
  status: string;
  enrolledAt: string;
  /** Whether the participant received the injection (Day 0 exists). */
  injected: boolean;
}

export interface DemoEnv {
  ctx: ServiceContext;
  rng: SeededRandom;
  /** The password of every demo account (for e-signatures). */
  password: string;
  /** Demo accounts by e-mail, as actors (`coordinator@demo.local`, `investigator2@demo.local`, …). */
  actor(email: string): Promise<Extract<Actor, { kind: 'user' }>>;
  /** The participants the simulator enrolled, in study-id order. */
  participants: DemoParticipant[];
}

/** A demo step adds one capability's data and returns a JSON-able summary of what it made. */
export type DemoStep = (env: DemoEnv) => Promise<Record<string, unknown>>;

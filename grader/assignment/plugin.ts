/**
 * The one interface through which the engine (grader/, authoring/, handout/) uses an assignment.
 * An assignment folder holds, besides its files (assignment.yaml, solutions/, starter/, handout/):
 *
 *   public/index.ts   exports `grading: PublicGrading` (public-grading.ts): how each student
 *                     function is called, its whole runs, what the runner child may read, output
 *                     checks. Loaded by the runner child and shipped in the student handout:
 *                     nothing secret.
 *   private/index.ts  exports `grading: PrivateGrading`: the case generators (hidden inputs come
 *                     from them), the known-mistake variants (made from the reference), the report
 *                     of a whole run. Loaded by the trusted side only; made unreadable to the child.
 *
 * The engine names no function, question, dataset or algorithm: everything it needs to know of a
 * homework comes through these two objects and assignment.yaml.
 */
import * as path from 'node:path';
import type { Rng } from '../../provided/runtime/rng';
import type { PlainArg, PlainTensor } from '../child/protocol';
import type { Variant } from '../diagnostics/define';
import type { Figure } from '../report/model';
import type { PublicGrading } from './public-grading';
import type { Assignment, CaseSpec } from './types';

export type { Envelope, OutputCheck, PublicGrading, RunSpec, TargetSpec, Modules, WholeRun } from './public-grading';

/** Named plain values for a case, from its parameters and its seed (deterministic). */
export type Generator = (params: Record<string, unknown>, rng: Rng) => Record<string, PlainArg>;

/** What a student sees of a whole run scored by thresholds (the engine adds the thresholds' sentence). */
export interface RunReport {
  /** One sentence or two about what the run reached (no expected values). */
  describe(spec: CaseSpec, outputs: Record<string, PlainTensor>): string[];
  /**
   * Pictures of a visible case's run (trajectories, learning curves), each drawn on its own: one
   * that cannot be drawn (a missing renderer, outputs it cannot use) is left out with a note.
   */
  figures?(spec: CaseSpec, outputs: Record<string, PlainTensor>): FigureDrawing[];
}

/** A figure to draw: its title, and the SVG text (or a promise of it). */
export interface FigureDrawing {
  title: string;
  draw(): string | Promise<string>;
}

export interface PrivateGrading {
  generators: Record<string, Generator>;
  /** Known mistakes, each a patched reference function with its hint. */
  variants: Variant[];
  /** The report of each whole run scored by thresholds, by run name. */
  reports: Record<string, RunReport>;
}

/** Where an assignment's grading modules are. */
export const publicModulePath = (a: Pick<Assignment, 'codeDir'>): string => path.join(a.codeDir, 'public', 'index.ts');
export const privateModulePath = (a: Pick<Assignment, 'codeDir'>): string => path.join(a.codeDir, 'private', 'index.ts');

/** The assignment's public grading (loaded once per process). */
export function loadPublic(a: Pick<Assignment, 'codeDir'>): PublicGrading {
  return (require(publicModulePath(a)) as { grading: PublicGrading }).grading;
}

/** The assignment's private grading: trusted processes only. */
export function loadPrivate(a: Pick<Assignment, 'codeDir'>): PrivateGrading {
  return (require(privateModulePath(a)) as { grading: PrivateGrading }).grading;
}

export type { Figure, Variant };

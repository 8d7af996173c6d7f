/** Submission intake: from whatever a student uploaded to a clean folder of their files. */
export { prepareSubmission } from './prepare';
export { DEFAULT_LIMITS } from './types';
export type { Intake, IntakeLimits, IntakeProblem, UploadCheck } from './types';

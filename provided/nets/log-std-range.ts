// The range the Gaussian policy's log sigma is clipped to (ALGORITHMS.md section 3). Apart from
// gaussian.ts so that code without TensorFlow.js (the grader's case generators) can read it.
export const LOG_STD_MIN = -5;
export const LOG_STD_MAX = 2;

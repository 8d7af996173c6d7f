// A sample report covering every visibility, hostile student text and a figure.
import type { GradeReport } from '../../grader/report';

/** A chart as vega renders it (namespaced), plus a script and a handler that must not survive. */
export const FIGURE_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="50" onload="alert(1)">' +
  '<script>alert(2)</script><rect width="10" height="20" fill="steelblue" onclick="steal()"/>' +
  '<a xlink:href="https://evil.example/x"><text x="1" y="40">return</text></a></svg>';

export function sampleReport(): GradeReport {
  return {
    assignment: 'Offline RL',
    submission: 'sub-42',
    gradedAt: '2025-01-01T12:00:00Z',
    backend: 'wasm',
    total: 5,
    maxTotal: 8,
    intakeProblems: ["No file named 'awr.ts' was found in your submission."],
    notes: ['Graded with seed 0.'],
    leaderboard: [{ name: 'IQL success', value: 0.95, order: 'desc' }],
    questions: [
      {
        id: 'Q3.1',
        title: 'expectileLoss',
        points: 4,
        earned: 3,
        cases: [
          {
            id: 'q3.1-shape',
            question: 'Q3.1',
            name: 'returns a scalar',
            visibility: 'visible',
            score: 1,
            maxScore: 1,
            status: 'passed',
            messages: ['The loss is a scalar.'],
            figures: [{ title: 'Not an svg', svg: '<img src=x onerror=alert(1)>' }],
          },
          {
            id: 'q3.1-values',
            question: 'Q3.1',
            name: 'matches the reference <b>values</b>',
            visibility: 'visible',
            score: 2,
            maxScore: 2,
            status: 'passed',
            messages: ['Your output: <img src=x onerror=alert(1)> | *not bold*'],
            hint: 'Weight by |tau - 1(u < 0)|.',
            details: ['expected: [0.5, 1.25]', 'got:      [0.5, 1.25]'],
            figures: [{ title: 'Loss curve', svg: FIGURE_SVG }],
          },
          {
            id: 'q3.1-hidden',
            question: 'Q3.1',
            name: 'hidden edge cases',
            visibility: 'hidden',
            score: 0,
            maxScore: 1,
            status: 'failed',
            messages: ['Some hidden inputs gave wrong values.'],
            hint: 'Check tau = 0.5 HIDDENHINT.',
            details: ['SECRET expected 0.123'],
            figures: [{ title: 'Hidden figure', svg: '<svg><text>SECRETFIG</text></svg>' }],
          },
        ],
      },
      {
        id: 'Q4',
        title: 'AWR weights',
        points: 4,
        earned: 2,
        cases: [
          {
            id: 'q4-clip',
            question: 'Q4',
            name: 'clips at 100',
            visibility: 'after_due_date',
            score: 2,
            maxScore: 4,
            status: 'failed',
            messages: ['Weights above 100 were not clipped.'],
          },
        ],
      },
    ],
  };
}

/** TypeScript shapes of Gradescope's results.json (see gradescope-results.schema.json). */

export type OutputFormat = 'text' | 'html' | 'simple_format' | 'md' | 'ansi';
export type ResultsVisibility = 'hidden' | 'after_due_date' | 'after_published' | 'visible';

/** One Gradescope test. */
export interface GradescopeTest {
  score?: number;
  max_score: number;
  status?: 'passed' | 'failed';
  name: string;
  name_format?: OutputFormat;
  number?: string;
  output?: string;
  output_format?: OutputFormat;
  tags?: string[];
  visibility?: ResultsVisibility;
  extra_data?: Record<string, unknown>;
}

/** One leaderboard column value. */
export interface LeaderboardEntry {
  name: string;
  value: number | string;
  order?: 'asc' | 'desc';
}

/** The whole results.json. */
export interface GradescopeResults {
  score?: number;
  execution_time?: number;
  output?: string;
  output_format?: OutputFormat;
  test_output_format?: OutputFormat;
  test_name_format?: OutputFormat;
  visibility?: ResultsVisibility;
  stdout_visibility?: ResultsVisibility;
  extra_data?: Record<string, unknown>;
  tests?: GradescopeTest[];
  leaderboard?: LeaderboardEntry[];
}

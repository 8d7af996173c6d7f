// Entry point of the runner child: registers tsx's CommonJS TypeScript loader (kit and student
// files are TypeScript), then runs child.ts.
require('tsx/cjs');
require('./child.ts');

// Entry point of the runner child of a student's local runs (the handout's public tests and
// `npm run submit`): the grader's child (entry.js) without the diagnostic variants, which never
// ship. Same loader, same TensorFlow.js, same loop (serve.ts), same protocol.
require('./tfjs-deferred.js').install();
require('./ts-loader.js').register(['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm']);
require('./serve.ts').serveAndExit();

// Entry point of the runner child: registers the TypeScript loader (kit and student files are
// TypeScript; ts-loader.js says why it is not tsx), loads TensorFlow.js before any student file
// (without the parts of it graded code does not use: tfjs-deferred.js), then runs main.ts.
require('./tfjs-deferred.js').install();
require('./ts-loader.js').register(['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm']);
require('./main.ts');

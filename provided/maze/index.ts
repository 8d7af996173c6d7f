// The maze environment, its pictures and the dataset generators (one import for callers).
export * from './geometry';
export * from './layouts';
export * from './env';
export * from './rollout';
export * from './controllers';
export * from './render-text';
export * from './render-svg';
export * from './generators';

export * from './condition';
export * from './bounded-regex';
export * from './evaluate-conditions';

export * from './version-compare';

export * from './select-route';
export * from './route-settings';

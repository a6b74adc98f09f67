// The parts of hbs (the Express view engine for Handlebars) the UI uses; it ships no types.
declare module 'hbs' {
  import type { HelperDelegate } from 'handlebars';
  interface Hbs {
    registerHelper(name: string, fn: HelperDelegate): void;
    registerPartial(name: string, template: string): void;
  }
  const hbs: Hbs;
  export default hbs;
}

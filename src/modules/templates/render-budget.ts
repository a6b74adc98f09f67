/**
 * What one render may cost. Block helpers multiply: three nested `{{#each}}`
 * over a 500-frame callstack are 125 million iterations, and jobs run the same
 * render as the settings preview. Every `{{#each}}` iteration and the text it
 * produces are charged here, and the render fails with a clear message once a
 * bound is reached, long before it could hold a worker for seconds.
 */
export const RENDER_LIMITS = {
  /** Block iterations in one render, all `{{#each}}` blocks together. */
  iterations: 20_000,
  /** Characters produced by iterations (nested output counts at every level). */
  outputChars: 2_000_000,
} as const;

export class RenderBudgetExceeded extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RenderBudgetExceeded';
  }
}

export class RenderBudget {
  private iterations = 0;
  private outputChars = 0;

  constructor(private readonly limits: { iterations: number; outputChars: number } = RENDER_LIMITS) {}

  chargeIteration(): void {
    this.iterations += 1;
    if (this.iterations > this.limits.iterations) {
      throw new RenderBudgetExceeded(
        `the template repeats blocks more than ${this.limits.iterations} times (nested {{#each}} over long lists); use fewer nested blocks`,
      );
    }
  }

  chargeOutput(chars: number): void {
    this.outputChars += chars;
    if (this.outputChars > this.limits.outputChars) {
      throw new RenderBudgetExceeded(`the template produces more than ${this.limits.outputChars} characters; use fewer nested blocks`);
    }
  }
}

// Lost answers for any request (a proxy or the network dropping the response after Jira acted):
// the request takes effect, then the connection closes without an answer.

interface Drop {
  method: string;
  path: RegExp;
  left: number;
}

export class AnswerDrops {
  private readonly drops: Drop[] = [];

  /** The next `count` successful `method` requests whose REST path (after /rest/api/2) matches `path` lose their answer. */
  drop(method: string, path: RegExp, count = 1): void {
    this.drops.push({ method: method.toUpperCase(), path, left: count });
  }

  /** Whether this successful request's answer is lost (counts down). */
  take(method: string, path: string): boolean {
    const d = this.drops.find((x) => x.left > 0 && x.method === method && x.path.test(path));
    if (!d) return false;
    d.left--;
    return true;
  }

  reset(): void {
    this.drops.length = 0;
  }
}

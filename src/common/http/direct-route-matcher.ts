/**
 * Matches a request's path against a direct route's path (literal segments and `:name` parameters), for the
 * requests the adapter serves ahead of Express (direct-route.ts). It takes only what it can read without
 * Express's decoding: the exact path, in its own case and without a trailing slash, with parameters that hold
 * no percent sign. Anything else (a parameter to decode, another case, a trailing slash) is left to Express,
 * whose router serves the same route with its own rules, so no request is answered differently.
 */
export type PathMatcher = (url: string) => Record<string, string> | undefined;

const SAFE_PARAM = /^[^%/]+$/;

export function pathMatcher(path: string): PathMatcher {
  const segments = path.split('/');
  return (url) => {
    const query = url.indexOf('?');
    const parts = (query === -1 ? url : url.slice(0, query)).split('/');
    if (parts.length !== segments.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < segments.length; i++) {
      const want = segments[i];
      const got = parts[i];
      if (want.startsWith(':')) {
        if (!SAFE_PARAM.test(got)) return undefined;
        params[want.slice(1)] = got;
      } else if (want !== got) {
        return undefined;
      }
    }
    return params;
  };
}

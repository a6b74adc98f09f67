import type { JiraTransport } from './jira-transport';
import type { JiraFlavour, JiraServerInfo } from './jira-types';
import { isAtlassianCloudHost, isAtlassianGatewayUrl } from './jira-url';

/**
 * The flavour of one Jira: the configured one, else detected once. Concurrent callers share
 * one detection; a failed detection is not remembered, so the next call tries again.
 */
export class JiraFlavourResolver {
  #flavour?: JiraFlavour;
  #pending?: Promise<JiraFlavour>;

  constructor(
    configured: JiraFlavour | undefined,
    private readonly detect: () => Promise<JiraFlavour>,
  ) {
    this.#flavour = configured;
  }

  async get(): Promise<JiraFlavour> {
    if (this.#flavour) return this.#flavour;
    if (!this.#pending) {
      this.#pending = this.detect().then(
        (f) => {
          this.#flavour = f;
          this.#pending = undefined;
          return f;
        },
        (e: unknown) => {
          this.#pending = undefined;
          throw e;
        },
      );
    }
    return this.#pending;
  }
}

/**
 * `serverInfo`'s `deploymentType: Cloud` → cloud, anything else → datacenter. When the call
 * fails, bearer auth implies datacenter and an `*.atlassian.net` host cloud; otherwise the
 * error is thrown.
 */
export async function detectFlavour(transport: JiraTransport, apiUrl: string, bearer: boolean): Promise<JiraFlavour> {
  try {
    const info = await transport.request<JiraServerInfo>({ method: 'GET', path: 'serverInfo' });
    return String(info.deploymentType ?? '').toLowerCase() === 'cloud' ? 'cloud' : 'datacenter';
  } catch (error) {
    if (bearer) return 'datacenter';
    if (isAtlassianCloudHost(new URL(apiUrl).hostname) || isAtlassianGatewayUrl(apiUrl)) return 'cloud';
    throw error;
  }
}

// `docker compose --profile monitoring up` cannot run here: this checks what it reads instead.
// The compose file, Prometheus' and Grafana's provisioning parse, refer to files that exist,
// and agree with each other (ports, datasource uid, dashboard path).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { load } from 'js-yaml';
import { dashboardExpressions } from '../../support/prometheus-names';

const ROOT = resolve(__dirname, '../../..');
const yaml = (path: string) => load(readFileSync(join(ROOT, path), 'utf8')) as any;

describe('monitoring profile', () => {
  const compose = yaml('docker-compose.yml');
  const services = compose.services as Record<string, any>;
  const prometheus = yaml('deploy/prometheus/prometheus.yml');
  const datasources = yaml('deploy/grafana/provisioning/datasources/prometheus.yml');
  const providers = yaml('deploy/grafana/provisioning/dashboards/crashbridge.yml');
  const dashboard = JSON.parse(readFileSync(join(ROOT, 'deploy/grafana/crashbridge.json'), 'utf8'));
  const job = (name: string) => prometheus.scrape_configs.find((c: any) => c.job_name === name);

  it('adds Prometheus and Grafana under the profile only, with pinned images', () => {
    for (const name of ['prometheus', 'grafana']) {
      expect(services[name].profiles).toEqual(['monitoring']);
      expect(services[name].image).toMatch(/^[\w./-]+:v?\d+\.\d+\.\d+$/);
    }
    for (const name of ['postgres', 'redis', 'api', 'worker']) expect(services[name].profiles).toBeUndefined();
  });

  it('mounts files that exist', () => {
    for (const name of ['prometheus', 'grafana']) {
      for (const volume of services[name].volumes as string[]) {
        const source = volume.split(':')[0];
        if (source.startsWith('./')) expect(existsSync(join(ROOT, source))).toBe(true);
      }
    }
  });

  it('scrapes the api on its port and each worker on its METRICS_PORT', () => {
    expect(job('crashbridge-api').static_configs[0].targets).toEqual([`api:${services.api.environment.PORT}`]);
    const workers = job('crashbridge-worker').dns_sd_configs[0];
    expect(workers).toMatchObject({ names: ['worker'], type: 'A' });
    expect(String(workers.port)).toBe(services.worker.environment.METRICS_PORT);
    const mount = services.prometheus.volumes.find((v: string) => v.startsWith('./deploy/prometheus/prometheus.yml:'));
    expect(services.prometheus.command).toContain(`--config.file=${mount.split(':')[1]}`);
  });

  it('provisions the datasource the dashboard names, and loads the dashboard from where it is mounted', () => {
    const [source] = datasources.datasources;
    expect(source).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090' });
    const uids = new Set<string>();
    for (const p of dashboard.panels) if (p.datasource) uids.add(p.datasource.uid);
    expect([...uids]).toEqual([source.uid]);
    const dir = providers.providers[0].options.path;
    expect(services.grafana.volumes).toContain(`./deploy/grafana/crashbridge.json:${dir}/crashbridge.json:ro`);
    expect(services.grafana.volumes).toContain('./deploy/grafana/provisioning:/etc/grafana/provisioning:ro');
  });

  it('lays out a dashboard Grafana accepts: unique panel ids, 24 columns, a query per panel', () => {
    const ids = dashboard.panels.map((p: any) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of dashboard.panels) {
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
      if (p.type !== 'row') expect(p.targets.length).toBeGreaterThan(0);
    }
    expect(dashboard.uid).toBe('crashbridge');
    expect(dashboardExpressions(dashboard).length).toBeGreaterThan(15);
  });
});

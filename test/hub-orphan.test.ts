/**
 * Why the launcher exec()s, and proof that the harness notices leftovers: a service command that
 * does NOT exec (a shell wrapper that runs the launcher as a child) leaves Node running on the
 * port after the hub stops, and stopHub() reports it (then cleans it up).
 */
import * as fs from 'fs';
import { isPortOpen, pidsMatching, startHub } from './harness';

test('a non-exec wrapper leaves the service behind, and stopping the hub reports it', async () => {
  const hub = await startHub({
    name: 'orphan',
    // sh waits for its child; the trailing ":" keeps sh from exec()ing the last command itself
    wrapServiceCommand: cmd => ['sh', '-c', '"$0" "$@"; :', ...cmd]
  });
  const { info } = hub;
  try {
    // the hub tracks the shell, not Node
    expect(fs.readFileSync(`/proc/${info.servicePid}/cmdline`, 'utf8').split('\0')[0]).toBe('sh');
    expect(await isPortOpen(info.servicePort)).toBe(true);
  } catch (err) {
    await hub.stop().catch(() => undefined);
    throw err;
  }
  await expect(hub.stop()).rejects.toThrow(
    new RegExp(
      `left processes behind: .*ngshare service port ${info.servicePort} still accepts connections`
    )
  );
  // stop() killed the orphan after reporting it
  expect(await isPortOpen(info.servicePort)).toBe(false);
  expect(pidsMatching(info.workDir)).toEqual([]);
});

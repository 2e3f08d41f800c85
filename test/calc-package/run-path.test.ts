import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mirrorAreaProblem, pathInRunDirectory } from '../../src/calc-package/index.js';

const RUN = '/work/jobs/7';

describe('pathInRunDirectory', () => {
  it('resolves rendered adapter paths inside the run directory', () => {
    expect(pathInRunDirectory(RUN, 'GRID/wing.msh', 'File target')).toBe(path.join(RUN, 'GRID/wing.msh'));
    expect(pathInRunDirectory(RUN, '.', 'workpath')).toBe(RUN);
    expect(pathInRunDirectory(RUN, '..foo/x', 'File target')).toBe(path.join(RUN, '..foo/x'));
    expect(pathInRunDirectory(RUN, '.mirror/logs/grid.log', 'Result file', 'logs')).toBe(
      path.join(RUN, '.mirror/logs/grid.log'),
    );
  });

  it('refuses escape and .mirror/, naming what and the value', () => {
    expect(() => pathInRunDirectory(RUN, '../8/x', 'File target')).toThrow(
      'File target "../8/x": path leaves the run directory',
    );
    expect(() => pathInRunDirectory(RUN, '/etc/passwd', 'File target')).toThrow(
      'File target "/etc/passwd": path is absolute',
    );
    expect(() => pathInRunDirectory(RUN, '.mirror/calc/adapter.xml', 'Template target')).toThrow(
      'Template target ".mirror/calc/adapter.xml": path points into .mirror/',
    );
    expect(() => pathInRunDirectory(RUN, '.mirror/logs', 'Result file', 'logs')).toThrow(
      'Result file ".mirror/logs": path points into .mirror/ (only .mirror/logs/ may be read)',
    );
  });

  it('knows what .mirror/ access each kind of path has', () => {
    expect(mirrorAreaProblem('.mirror/logs/a.log')).toBe('path points into .mirror/');
    expect(mirrorAreaProblem('.mirror/logs/a.log', 'logs')).toBeUndefined();
    expect(mirrorAreaProblem('.mirrored/x')).toBeUndefined();
  });
});

// Wan 3.0 from a prompt file, against the Wan-compatible test server: what is sent, and what is refused before sending.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { TaskRecord } from '../../src/tasks/taskRecord';
import { openWorkspaceFile, servedExtension } from './helpers';
import { waitFor } from './waitFor';

describe('Wan 3.0 from a prompt file', function () {
  this.timeout(120_000);
  const served = servedExtension('wan-models-');

  beforeEach(() => {
    served.server.requests.length = 0;
  });

  it('sends model, duration 20 and resolution 480P as written (typed), no ratio, and the video lands', async () => {
    const text = '---\nmodel: wan3.0-video\nduration: 20\nresolution: 480P\n---\nA paper boat drifting down a rain gutter.\n';
    const { uri } = (await openWorkspaceFile('wan30.wanprompt', text)).document;
    const record = await vscode.commands.executeCommand<TaskRecord | undefined>('wan.generateFromFile', uri);
    assert.ok(record, 'submitted');
    const creates = served.server.requestsTo('create');
    assert.equal(creates.length, 1);
    const body = creates[0].json as { model: string; input: Record<string, unknown>; parameters: Record<string, unknown> };
    const { seed, ...parameters } = body.parameters;
    assert.equal(typeof seed, 'number', 'a seed is always sent, so Regenerate repeats the task');
    assert.deepEqual({ model: body.model, input: body.input, parameters }, {
      model: 'wan3.0-video',
      input: { prompt: 'A paper boat drifting down a rain gutter.' },
      parameters: { resolution: '480P', duration: 20 },
    });
    const saved = await waitFor('the video on disk', () => {
      const task = served.api.tasks().find((t) => t.taskId === record.taskId);
      return task?.download.state === 'done' ? task.download : undefined;
    }, 60_000);
    assert.ok(fs.readFileSync(saved.path).equals(served.server.video), 'the service\'s video');
  });

  it('the same file with negative_prompt shows an error at that line and sends nothing', async () => {
    const text = '---\nmodel: wan3.0-video\nduration: 20\nresolution: 480P\nnegative_prompt: blurry\n---\nA paper boat drifting down a rain gutter.\n';
    const { document } = await openWorkspaceFile('wan30-negative.wanprompt', text);
    const diagnostics = await waitFor('a diagnostic', () => {
      const found = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'Wan');
      return found.length > 0 ? found : undefined;
    });
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diagnostics[0].range.start.line, 4);
    assert.match(diagnostics[0].message, /wan3\.0-video does not take negative_prompt/);
    const record = await vscode.commands.executeCommand<TaskRecord | undefined>('wan.generateFromFile', document.uri);
    assert.equal(record, undefined);
    assert.equal(served.server.requestsTo('create').length, 0, 'nothing was sent');
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classifyServiceCode, type WanErrorKind } from '../../../src/wan/errors';
import { errorFromHttpResponse, textSnippet } from '../../../src/wan/httpErrors';

describe('classifyServiceCode', () => {
  test('follows the error table of the API', () => {
    const table: [string, number, WanErrorKind, boolean][] = [
      ['InvalidParameter', 400, 'invalid-request', false],
      ['BadRequest.EmptyInput', 400, 'invalid-request', false],
      ['InvalidURL', 400, 'invalid-request', false],
      ['DataInspectionFailed', 400, 'moderation', false],
      ['IPInfringementSuspect', 400, 'moderation', false],
      ['Arrearage', 400, 'arrearage', false],
      ['InvalidApiKey', 401, 'auth', false],
      ['AccessDenied', 403, 'access', false],
      ['AccessDenied.Unpurchased', 403, 'access', false],
      ['Model.AccessDenied', 403, 'access', false],
      ['ModelNotFound', 404, 'model-not-found', false],
      ['Throttling', 429, 'throttled', true],
      ['Throttling.RateQuota', 429, 'throttled', true],
      ['Throttling.BurstRate', 429, 'throttled', true],
      ['Throttling.AllocationQuota', 429, 'quota', false],
      ['InternalError', 500, 'server', true],
      ['SystemError', 500, 'server', true],
      ['ModelServiceFailed', 500, 'server', true],
      ['ModelUnavailable', 503, 'server', true],
    ];
    for (const [code, status, kind, retryable] of table) {
      const result = classifyServiceCode(code, status);
      assert.equal(result.kind, kind, code);
      assert.equal(result.retryable, retryable, code);
      assert.ok(result.advice.length > 10, code);
    }
  });

  test('works for the code of a FAILED task, which has no HTTP status', () => {
    assert.equal(classifyServiceCode('DataInspectionFailed').kind, 'moderation');
    assert.equal(classifyServiceCode('InternalError.Timeout').kind, 'server');
    assert.equal(classifyServiceCode('invalid_api_key').kind, 'auth');
    assert.deepEqual({ ...classifyServiceCode(undefined), advice: '' }, { kind: 'server', retryable: true, advice: '' });
  });

  test('falls back on the status for unknown codes', () => {
    assert.equal(classifyServiceCode('SomethingNew', 400).kind, 'invalid-request');
    assert.equal(classifyServiceCode(undefined, 401).kind, 'auth');
    assert.equal(classifyServiceCode(undefined, 404).kind, 'not-found');
    assert.equal(classifyServiceCode(undefined, 429).retryable, true);
    assert.equal(classifyServiceCode(undefined, 504).retryable, true);
    assert.equal(classifyServiceCode(undefined, 501).retryable, false);
  });

  test('case 11: a 429 about a bill, a balance, arrears or quota is not throttling: no retry, and the advice says to top up or check the plan', () => {
    for (const code of ['PrepaidBillOverdue', 'PostpaidBillOverdue', 'insufficient_quota', 'Arrearage.Overdue', 'InsufficientBalance', 'QuotaExceeded']) {
      const error = errorFromHttpResponse({ status: 429, body: JSON.stringify({ code, message: 'Your account is overdue.' }) });
      assert.equal(error.retryable, false, code);
      assert.ok(error.kind === 'arrearage' || error.kind === 'quota', `${code}: ${error.kind}`);
      assert.match(error.advice, /top up/i, code);
      assert.match(error.advice, /plan/, code);
    }
    // Rate limits that merely name a quota are still throttling.
    assert.equal(classifyServiceCode('Throttling.RateQuota', 429).retryable, true);
  });

  test('the advice for a rejected key mentions the region; cancelling a started task says only PENDING can be', () => {
    assert.match(classifyServiceCode('InvalidApiKey', 401).advice, /region/);
    assert.match(classifyServiceCode('UnsupportedOperation', 400).advice, /PENDING/);
  });
});

describe('errorFromHttpResponse', () => {
  test('a JSON error names the status, the code and the service message', () => {
    const error = errorFromHttpResponse({ status: 401, body: '{"code":"InvalidApiKey","message":"Invalid API-key provided.","request_id":"r-1"}' });
    assert.equal(error.message, 'The service rejected the API key (401 InvalidApiKey): Invalid API-key provided.');
    assert.equal(error.kind, 'auth');
    assert.equal(error.code, 'InvalidApiKey');
    assert.equal(error.requestId, 'r-1');
    assert.equal(error.requestMayHaveBeenSent, false);
  });

  test('an HTML page from a proxy becomes a server error with a short tag-free snippet', () => {
    const page = '<html><head><title>502 Bad Gateway</title><style>body{color:red}</style><script>var x = "<b>";</script></head><body><h1>502 Bad Gateway</h1><hr><center>nginx</center></body></html>';
    const error = errorFromHttpResponse({ status: 502, body: page });
    assert.equal(error.kind, 'server');
    assert.equal(error.retryable, true);
    assert.equal(error.message, 'The service answered HTTP 502 with a page that is not the Wan API: "502 Bad Gateway 502 Bad Gateway nginx".');
    assert.equal(errorFromHttpResponse({ status: 500, body: 'oops' }).retryable, false);
    assert.equal(errorFromHttpResponse({ status: 504, body: '' }).retryable, true);
  });

  test('Retry-After is read as seconds or as an HTTP date', () => {
    const now = Date.UTC(2025, 0, 1, 12, 0, 0);
    const body = '{"code":"Throttling.RateQuota","message":"Requests rate limit exceeded"}';
    assert.equal(errorFromHttpResponse({ status: 429, body, retryAfter: '7' }, now).retryAfterMs, 7000);
    assert.equal(errorFromHttpResponse({ status: 429, body, retryAfter: new Date(now + 30_000).toUTCString() }, now).retryAfterMs, 30_000);
    assert.equal(errorFromHttpResponse({ status: 429, body, retryAfter: 'soon' }, now).retryAfterMs, undefined);
  });

  test('a JSON 404 of a task lookup is not-found whatever the code; a page is a failed request', () => {
    assert.equal(errorFromHttpResponse({ status: 404, body: '{"code":"InvalidParameter.TaskId"}', taskLookup: true }).kind, 'not-found');
    assert.equal(errorFromHttpResponse({ status: 404, body: '<h1>Not Found</h1>', taskLookup: true }).kind, 'server');
    assert.equal(errorFromHttpResponse({ status: 404, body: '{"code":"ModelNotFound","message":"Model not exist."}' }).kind, 'model-not-found');
  });

  test('on a workspace host, a rejected key and a model the region lacks name the region and the host', () => {
    const host = 'ws-1a2b.ap-southeast-1.maas.aliyuncs.com';
    const answers = [
      { status: 401, body: '{"code":"InvalidApiKey","message":"Invalid API-key provided."}', kind: 'auth', advice: /key of ap-southeast-1/ },
      { status: 404, body: '{"code":"ModelNotFound","message":"Model not exist."}', kind: 'model-not-found', advice: /offer this model/ },
      { status: 403, body: '{"code":"AccessDenied","message":"Access denied."}', kind: 'access', advice: /offer this model/ },
    ];
    for (const answer of answers) {
      const error = errorFromHttpResponse({ status: answer.status, body: answer.body, host });
      assert.equal(error.kind, answer.kind);
      assert.equal(error.host, host);
      assert.match(error.advice, answer.advice, answer.body);
      assert.ok(error.advice.includes('ap-southeast-1') && error.advice.includes(host), error.advice);
      // Elsewhere the region is not known: the advice stays the general one.
      const elsewhere = errorFromHttpResponse({ status: answer.status, body: answer.body, host: 'dashscope.aliyuncs.com' });
      assert.equal(elsewhere.advice, classifyServiceCode(elsewhere.code, answer.status).advice);
    }
    assert.equal(errorFromHttpResponse({ status: 429, body: '{"code":"Throttling"}', host }).advice, classifyServiceCode('Throttling', 429).advice);
  });

  test('snippets are cut short', () => {
    assert.equal(textSnippet(`<p>${'a'.repeat(500)}</p>`).length, 160);
  });
});

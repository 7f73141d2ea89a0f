import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkBaseUrl, checkDownloadUrl, checkWorkspaceId, ENDPOINT_BASE_URLS, isLoopbackHost, workspaceBaseUrl, workspaceOf, WORKSPACE_REGIONS } from '../../../src/wan/endpoints';

describe('endpoints', () => {
  test('the known endpoints are the documented base URLs', () => {
    assert.deepEqual(ENDPOINT_BASE_URLS, {
      apiyi: 'https://api.apiyi.com/wan/api/v1',
      dashscope: 'https://dashscope.aliyuncs.com/api/v1',
      'dashscope-intl': 'https://dashscope-intl.aliyuncs.com/api/v1',
    });
    for (const url of Object.values(ENDPOINT_BASE_URLS)) assert.deepEqual(checkBaseUrl(url), { url });
  });

  test('loopback hosts are 127.0.0.0/8, ::1 and localhost only', () => {
    for (const host of ['127.0.0.1', '127.255.255.254', '127.0.0.0', 'localhost', 'LocalHost', '::1', '[::1]']) {
      assert.equal(isLoopbackHost(host), true, host);
    }
    for (const host of ['127.0.0.256', '128.0.0.1', '127.0.0.1.example.com', 'localhost.example.com', '0.0.0.0', '10.0.0.1', '::2', 'example.com', '']) {
      assert.equal(isLoopbackHost(host), false, host);
    }
  });

  test('https to any host is accepted and the trailing slash removed', () => {
    assert.deepEqual(checkBaseUrl('https://gateway.example.com/alibailian/api/v1/'), { url: 'https://gateway.example.com/alibailian/api/v1' });
    assert.deepEqual(checkBaseUrl('  https://Example.COM//  '), { url: 'https://example.com' });
    assert.deepEqual(checkBaseUrl('https://example.com:8443/api/v1'), { url: 'https://example.com:8443/api/v1' });
  });

  test('plain http is accepted only for loopback', () => {
    assert.deepEqual(checkBaseUrl('http://127.0.0.1:8080/api/v1/'), { url: 'http://127.0.0.1:8080/api/v1' });
    assert.deepEqual(checkBaseUrl('http://localhost:3000/api/v1'), { url: 'http://localhost:3000/api/v1' });
    assert.deepEqual(checkBaseUrl('http://[::1]:3000/api/v1'), { url: 'http://[::1]:3000/api/v1' });
    const refused = checkBaseUrl('http://dashscope.aliyuncs.com/api/v1');
    assert.ok('problem' in refused);
    assert.match(refused.problem, /https:\/\//);
    assert.match(refused.problem, /localhost/);
  });

  test('other schemes, non-URLs, credentials and queries are problems that say what is allowed', () => {
    for (const raw of ['ftp://example.com/api/v1', 'file:///etc/passwd', 'dashscope.aliyuncs.com/api/v1', '', 'not a url']) {
      const result = checkBaseUrl(raw);
      assert.ok('problem' in result, raw);
      assert.match(result.problem, /https:\/\//, raw);
    }
    const withUser = checkBaseUrl('https://user:secret@example.com/api/v1');
    assert.ok('problem' in withUser);
    assert.doesNotMatch(withUser.problem, /secret/);
    assert.ok('problem' in checkBaseUrl('https://example.com/api/v1?x=1'));
    assert.ok('problem' in checkBaseUrl('https://example.com/api/v1#top'));
  });

  test('a result link keeps its signature query and follows the same scheme rule', () => {
    const link = checkDownloadUrl('https://bucket.oss.example.com/a.mp4?Expires=1&Signature=abc%3D');
    assert.ok('url' in link);
    assert.equal(link.url.search, '?Expires=1&Signature=abc%3D');
    assert.ok('problem' in checkDownloadUrl('http://example.com/a.mp4'));
    assert.ok('url' in checkDownloadUrl('http://127.0.0.1:9/a.mp4'));
    assert.ok('problem' in checkDownloadUrl('nonsense'));
  });

  test('a workspace host is {id}.{region}.maas.aliyuncs.com/api/v1, in each of the five regions, and reads back', () => {
    assert.deepEqual([...WORKSPACE_REGIONS], ['cn-beijing', 'ap-southeast-1', 'ap-northeast-1', 'eu-central-1', 'us-east-1']);
    assert.equal(workspaceBaseUrl('ws-1a2b', 'ap-southeast-1'), 'https://ws-1a2b.ap-southeast-1.maas.aliyuncs.com/api/v1');
    for (const region of WORKSPACE_REGIONS) {
      const url = workspaceBaseUrl('ws-1a2b', region);
      assert.equal(url, `https://ws-1a2b.${region}.maas.aliyuncs.com/api/v1`);
      assert.deepEqual(checkBaseUrl(url), { url }, 'the client takes it as it is');
      assert.deepEqual(workspaceOf(new URL(url).host), { id: 'ws-1a2b', region });
    }
    assert.equal(workspaceOf('dashscope.aliyuncs.com'), undefined);
    assert.equal(workspaceOf('127.0.0.1:8080'), undefined);
    assert.equal(workspaceOf('a.b.maas.aliyuncs.com.example.com'), undefined);
  });

  test('a workspace id is one DNS label; anything else is a problem that says what an id looks like and where it is', () => {
    for (const id of ['a', '7', 'ws-1a2b', 'llm-abc123', 'a'.repeat(63)]) assert.deepEqual(checkWorkspaceId(id), { id }, id);
    assert.deepEqual(checkWorkspaceId('  ws-1a2b '), { id: 'ws-1a2b' }, 'spaces around a pasted id are dropped');
    const bad = ['', '-ws', 'ws-', 'WS-1A2B', 'ws_1', 'ws.1', 'ws 1', 'a'.repeat(64), 'ws-1.cn-beijing.maas.aliyuncs.com', 'https://ws-1.cn-beijing.maas.aliyuncs.com', 'é'];
    for (const id of bad) {
      const checked = checkWorkspaceId(id);
      assert.ok('problem' in checked, id);
      assert.match(checked.problem, /lowercase letters, digits and hyphens/, id);
      assert.match(checked.problem, /Model Studio console/, id);
    }
  });
});

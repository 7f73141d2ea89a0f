// A user's task history for the benchmark: finished tasks as the extension stores them, the way a few weeks of use
// leave them (mostly saved videos, some failures, cancellations and expired ones).
import type { RecordStatus, TaskRecord } from '../../src/tasks/taskRecord';
import { TaskStore } from '../../src/tasks/taskStore';
import { MemoryStorage } from '../unit/tasks/helpers';

const PROMPTS = [
  'A paper boat drifting down a rain gutter after a storm, macro lens, soft morning light',
  'A lighthouse on a cliff at night, waves crashing below, the beam sweeping through the rain',
  'A red fox running through fresh snow at dawn, cinematic, shallow depth of field',
  'Time-lapse of clouds rolling over a mountain ridge, golden hour, wide angle',
];

function statusOf(index: number): RecordStatus {
  if (index % 20 === 7) return 'FAILED';
  if (index % 50 === 11) return 'CANCELED';
  if (index % 50 === 13) return 'EXPIRED';
  return 'SUCCEEDED';
}

export function taskHistory(count: number, now: number): TaskRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const createdAt = now - (i + 1) * 17 * 60_000;
    const status = statusOf(i);
    const endTime = createdAt + 150_000;
    const prompt = `${PROMPTS[i % PROMPTS.length]}, take ${i + 1}`;
    const record: TaskRecord = {
      taskId: `0b5e${String(i).padStart(4, '0')}-7d1c-4f0e-9a6b-2c8d4e6f${String(i).padStart(4, '0')}`,
      endpoint: 'dashscope',
      baseUrl: 'https://dashscope.aliyuncs.com/api/v1',
      params: { model: 'wan2.7-t2v', prompt, resolution: i % 3 === 0 ? '1080P' : '720P', ratio: '16:9', duration: 5, promptExtend: true, watermark: false, seed: 1000 + i },
      source: { kind: 'selection', label: prompt.slice(0, 30), uri: `file:///home/user/videos/notes-${i % 12}.md` },
      status,
      createdAt,
      requestId: `req-${i}`,
      submitTime: createdAt,
      scheduledTime: createdAt + 8_000,
      endTime,
      finishedAt: endTime + 1_500,
      download: status === 'SUCCEEDED'
        ? { state: 'done', path: `/home/user/videos/wan-videos/take-${i + 1}.mp4`, bytes: 9_400_000, at: endTime + 4_000 }
        : { state: 'none' },
    };
    if (status === 'SUCCEEDED') {
      record.videoUrl = `https://dashscope-result-sh.oss-accelerate.aliyuncs.com/1d/${i}.mp4?Expires=1&OSSAccessKeyId=x&Signature=y`;
      record.usage = { duration: 5, ratio: '16:9', sr: 720, videoCount: 1 };
      record.actualPrompt = `${prompt}. The camera slowly pushes in while the light changes.`;
    }
    if (status === 'FAILED') {
      record.code = 'DataInspectionFailed';
      record.message = 'Output data may contain inappropriate content.';
    }
    return record;
  });
}

/** `count` tasks of {@link taskHistory} as the extension's global state holds them: storage key → stored value. */
export async function storedTaskHistory(count: number, now: number): Promise<Record<string, unknown>> {
  const storage = new MemoryStorage();
  const store = new TaskStore(storage);
  for (const record of taskHistory(count, now)) await store.add(record);
  store.dispose();
  return Object.fromEntries(storage.keys().map((key) => [key, storage.get(key)]));
}

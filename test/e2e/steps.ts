// Named steps: a failing step says which one failed and keeps a screenshot of that moment.
import type { Workbench } from './workbench';

export type Step = <T>(name: string, action: () => Promise<T>) => Promise<T>;

export function stepsOf(workbench: Workbench, flow: string): Step {
  return async (name, action) => {
    try {
      return await action();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // Playwright's messages end with a long call log: the first lines say what went wrong.
      const short = message.split('\n').slice(0, 6).join('\n');
      const shot = await workbench.screenshot(`${flow}-FAILED-${slug(name)}`).catch((screenshotError: unknown) => `none (${String(screenshotError)})`);
      throw new Error(`Step "${name}" failed: ${short}\nScreenshot of that moment: ${shot}`, { cause: error });
    }
  };
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

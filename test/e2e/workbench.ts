// The workbench as a person uses it: keyboard, clicks and what is on screen. No command runs from an extension host.
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { SCREENSHOT_DIR } from './environment';

/** Long enough for a poll of the service and a download on a busy 2-core machine. */
export const TASK_CHANGE_TIMEOUT_MS = 60_000;

/** The part of the page's HTMLVideoElement read here (the tests compile without the DOM library). */
export interface VideoElement {
  readyState: number;
  currentTime: number;
  paused: boolean;
  error: { code: number } | null;
  currentSrc: string;
  /** Chromium's count of the sound's bytes it decoded. */
  webkitAudioDecodedByteCount: number;
}

/** One prompt's Generate lens, with the estimate it carries: `Generate · 5 s 720P · ≈ ¥3.00`, or a range (`≈ ¥2.40–12.00`). */
export const GENERATE_LENS = /^\s*Generate · .*≈ ¥\d+\.\d\d(–\d+\.\d\d)?\s*$/;

export class Workbench {
  constructor(readonly page: Page) {
    page.setDefaultTimeout(20_000);
  }

  /** Waits until the workbench is usable and shows the Wan view container in the activity bar. */
  async waitUntilReady(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.wanActivity.waitFor({ timeout: 60_000 });
  }

  async screenshot(name: string): Promise<string> {
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.screenshot({ path: file });
    return path.relative(process.cwd(), file);
  }

  // --- Command palette, quick open and input boxes -------------------------------------------------------------

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget input');
  }

  /**
   * Presses the shortcut until the quick input shows: a key pressed while a webview that has the focus is still
   * loading reaches no one, and a person would simply press it again.
   */
  async openQuickInput(shortcut: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press(shortcut);
      try {
        await this.quickInput.waitFor({ timeout: 3000 });
        return;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  }

  /** F1, the command's title, a click on its row; once more from the start if the row does not show. */
  async runCommand(title: string): Promise<void> {
    // The row's label may carry a suffix such as ", recently used".
    const row = this.page.locator(`.quick-input-list .monaco-list-row[aria-label="${title}"], .quick-input-list .monaco-list-row[aria-label^="${title}, "]`).first();
    for (let attempt = 1; ; attempt++) {
      await this.openQuickInput('F1');
      await this.quickInput.fill(`>${title}`);
      try {
        await row.click({ timeout: 5000 });
        return;
      } catch (error) {
        if (attempt === 3) throw error;
        await this.page.keyboard.press('Escape');
      }
    }
  }

  /** Ctrl+P, the file's name, a click on the matching result. */
  async openFile(name: string): Promise<void> {
    await this.openQuickInput('Control+P');
    await this.quickInput.fill(name);
    await this.page.locator('.quick-input-list .monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) }).first().click();
    await this.editorTab(name).and(this.page.locator('.active')).waitFor();
  }

  /** Types into the input box (or password box) the extension shows, and confirms with Enter. */
  async answerInputBox(text: string, options: { password?: boolean } = {}): Promise<void> {
    const box = this.page.locator(`.quick-input-widget input[type="${options.password ? 'password' : 'text'}"]`);
    await box.waitFor();
    await box.pressSequentially(text);
    await this.page.keyboard.press('Enter');
    await box.waitFor({ state: 'hidden' });
  }

  quickInputTitle(): Promise<string | null> {
    return this.page.locator('.quick-input-widget .quick-input-title').textContent();
  }

  /** Closes editors, notifications and the panel left by an earlier flow, and shows the Wan view: each flow starts alike. */
  async tidy(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.runCommand('View: Close All Editors');
    await this.runCommand('Notifications: Clear All Notifications');
    await this.page.locator('.notification-toast').first().waitFor({ state: 'detached' });
    if (await this.page.locator('[id="workbench.parts.panel"]').isVisible()) await this.runCommand('View: Hide Panel');
    await this.openWanView();
  }

  // --- Editors ---------------------------------------------------------------------------------------------------

  editorTab(label: string | RegExp): Locator {
    return this.page.locator('.tabs-container .tab').filter({ has: this.page.locator('.label-name', { hasText: label }) });
  }

  get activeTab(): Locator {
    return this.page.locator('.tabs-container .tab.active');
  }

  /** Ctrl+G to the line, then Home and Shift+End: the whole line is selected. */
  async selectLine(lineNumber: number): Promise<void> {
    await this.openQuickInput('Control+G');
    await this.page.keyboard.type(String(lineNumber));
    // Enter before the picker has read the number would be lost.
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: `line ${lineNumber}` }).waitFor();
    await this.page.keyboard.press('Enter');
    await this.quickInput.waitFor({ state: 'hidden' });
    await this.page.keyboard.press('Home');
    await this.page.keyboard.press('Shift+End');
  }

  /** The status bar's cursor position, e.g. "Ln 3, Col 89 (88 selected)". */
  statusBarSelection(): Promise<string | null> {
    return this.page.locator('[id="status.editor.selection"]').textContent();
  }

  /**
   * Right-clicks the middle of the element (by position: editor layers lie over the selection) and chooses the item;
   * `whilePointing` runs once the item is pointed at, before it is chosen (a screenshot of the open menu).
   */
  async contextMenu(target: Locator, item: string, whilePointing?: () => Promise<unknown>): Promise<void> {
    const box = await target.boundingBox();
    if (!box) throw new Error('Nothing to right-click: the target is not on screen.');
    await this.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2, { button: 'right' });
    const entry = this.page.locator(`.monaco-menu .action-item .action-label[aria-label="${item}"]`);
    // A click right after the menu opens may be taken for the end of the right-click and ignored: point, then Enter.
    await entry.hover();
    await this.page.locator(`.monaco-menu .action-item.focused .action-label[aria-label="${item}"]`).waitFor();
    await whilePointing?.();
    await this.page.keyboard.press('Enter');
    await entry.waitFor({ state: 'hidden' });
  }

  editorTitleAction(title: string): Locator {
    return this.page.locator(`.editor-actions .action-label[aria-label^="${title}"]`);
  }

  /** A CodeLens of the active editor whose text (after its icon) matches. */
  codeLens(text: RegExp): Locator {
    return this.page.locator('.codelens-decoration a').filter({ hasText: text });
  }

  get squiggles(): Locator {
    return this.page.locator('.monaco-editor .squiggly-error');
  }

  get problemsPanel(): Locator {
    return this.page.locator('.markers-panel');
  }

  problemRows(): Locator {
    return this.page.locator('.markers-panel .monaco-list-row');
  }

  // --- The Explorer ----------------------------------------------------------------------------------------------

  /** Shows the Explorer from the command palette and returns the row of a file at the workspace's top level. */
  async explorerRow(name: string): Promise<Locator> {
    await this.runCommand('View: Show Explorer');
    const row = this.page.locator('.explorer-folders-view .monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) });
    await row.waitFor();
    return row;
  }

  // --- The Wan view ----------------------------------------------------------------------------------------------

  get wanActivity(): Locator {
    return this.page.locator('.activitybar .action-item a[aria-label^="Wan Video"]');
  }

  get wanView(): Locator {
    return this.page.locator('[id="workbench.view.extension.wan"]');
  }

  /**
   * Shows the Wan view, from the command palette: a click on the container's icon would instead hide the side bar
   * when that container is already the active one (as after a reload, while the side bar is being restored).
   */
  async openWanView(): Promise<void> {
    if (await this.wanView.isVisible()) return;
    await this.runCommand('Wan Video: Focus on Tasks View');
    await this.wanView.waitFor();
  }

  get welcome(): Locator {
    return this.wanView.locator('.welcome-view-content');
  }

  viewTitleAction(title: string): Locator {
    return this.page.locator(`[id="workbench.parts.sidebar"] .title-actions .action-label[aria-label="${title}"]`);
  }

  taskRow(promptStart: string): Locator {
    return this.wanView.locator('.monaco-list-row').filter({ hasText: promptStart });
  }

  /** Waits until the task's row says `status` in its description, with the codicon that goes with it. */
  async waitForTaskStatus(row: Locator, status: string, icon: string, timeout = TASK_CHANGE_TIMEOUT_MS): Promise<void> {
    await row.locator(`.custom-view-tree-node-item-icon.codicon-${icon}`).waitFor({ timeout });
    await row.locator('.label-description', { hasText: new RegExp(`^${escapeRegExp(status)} · `) }).waitFor({ timeout });
  }

  /** Hovers the row and clicks one of the inline actions that appear. */
  async clickInlineAction(row: Locator, title: string): Promise<void> {
    await row.hover();
    await row.locator(`.actions .action-label[aria-label="${title}"]`).click();
  }

  // --- Notifications ---------------------------------------------------------------------------------------------

  /** A notification toast with this message, once it has faded in (a screenshot during the fade shows it pale). */
  notification(text: string | RegExp): Locator {
    return this.page.locator('.notification-toast.notification-fade-in-done .notification-list-item').filter({ has: this.page.locator('.notification-list-item-message', { hasText: text }) });
  }

  async notificationText(notification: Locator): Promise<string> {
    return (await notification.locator('.notification-list-item-message').textContent()) ?? '';
  }

  async notificationButtons(notification: Locator): Promise<string[]> {
    return notification.locator('.notification-list-item-buttons-container .monaco-button').allTextContents();
  }

  async clickNotificationButton(notification: Locator, label: string): Promise<void> {
    await notification.locator('.notification-list-item-buttons-container .monaco-button', { hasText: label }).click();
  }

  // --- The video preview (a webview: an iframe holding the page's own iframe) ---------------------------------------

  /** The page of the preview in the active editor. */
  get preview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');
  }

  async videoState(): Promise<{ readyState: number; currentTime: number; paused: boolean; error: number | null; source: string; audioBytes: number }> {
    return this.preview.locator('video').evaluate((video: VideoElement) => ({
      readyState: video.readyState,
      currentTime: video.currentTime,
      paused: video.paused,
      error: video.error?.code ?? null,
      source: video.currentSrc,
      audioBytes: video.webkitAudioDecodedByteCount,
    }));
  }
}

/** Polls `probe` until it returns a value (not undefined/false), or fails saying what it waited for and what it last saw. */
export async function waitUntil<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (error) {
      last = error instanceof Error ? error.message.split('\n')[0] : error;
    }
    if (Date.now() > deadline) throw new Error(`Gave up after ${timeoutMs / 1000} s waiting for ${what} (last seen: ${String(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

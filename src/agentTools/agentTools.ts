// Gives agents the two Language Model Tools while `wan.agentTools.enabled` is on (package.json's `when` takes them out
// of `vscode.lm.tools`; disposing the registrations makes a call by name fail too). Their work loads on first call.
import * as vscode from 'vscode';
import { Disposable, toDisposable } from '../common/lifecycle';
import { loadAgentTools } from '../bundles/loader';
import { agentToolsEnabled, defaultModel, onDidChangeSettings, SETTINGS } from '../vscode/settings';
import type { GenerateVideoInput } from '../agent/generateRequest';
import type { CostCheck } from '../agent/toolTexts';
import type { GenerationParams } from '../wan/params';
import { planTasks, promptLabel, sourceFor, workspaceFolderPaths } from '../generate/planTasks';
import { parseDocument } from '../promptLanguage/promptDocuments';
import { errorText } from '../vscode/errorMessages';
import type { GetVideoTaskInput, VideoTools, VideoToolsDeps } from './videoTools';

/**
 * THE COST SEAM: the one place the tools take their cost line and their refusal over wan.confirmCostAbove or the daily
 * budget from (the confirmation shows `line`; invoke refuses with `refusal`). Issue 15's estimate is wired in here.
 */
export function estimateForAgent(_plans: readonly GenerationParams[]): CostCheck {
  return { line: vscode.l10n.t('Cost: not estimated yet.') };
}

/** As package.json's languageModelTools names them. */
const GENERATE_TOOL = 'wan_generate_video';
const GET_TASK_TOOL = 'wan_get_video_task';

export class AgentTools extends Disposable {
  private registrations: vscode.Disposable[] | undefined;
  private tools: VideoTools | undefined;

  constructor(private readonly deps: Omit<VideoToolsDeps, 'estimate' | 'layer'>) {
    super();
    this._register(onDidChangeSettings([SETTINGS.agentToolsEnabled], () => this.update()));
    this._register(toDisposable(() => this.unregister()));
    this.update();
  }

  private update(): void {
    if (agentToolsEnabled()) this.register();
    else this.unregister();
  }

  private register(): void {
    if (this.registrations) return;
    const tools = () => (this.tools ??= new (loadAgentTools().VideoTools)({
      ...this.deps,
      layer: { planTasks, sourceFor, promptLabel, workspaceFolderPaths, parseDocument, defaultModel, errorText },
      estimate: estimateForAgent,
    }));
    this.registrations = [
      vscode.lm.registerTool<GenerateVideoInput>(GENERATE_TOOL, {
        prepareInvocation: (options) => tools().prepareGenerate(options.input),
        invoke: (options, token) => tools().invokeGenerate(options, token),
      }),
      vscode.lm.registerTool<GetVideoTaskInput>(GET_TASK_TOOL, {
        invoke: (options, token) => tools().invokeGetTask(options.input, token),
      }),
    ];
  }

  private unregister(): void {
    for (const registration of this.registrations ?? []) registration.dispose();
    this.registrations = undefined;
  }
}

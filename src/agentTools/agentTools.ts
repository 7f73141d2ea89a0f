// Gives agents the two Language Model Tools while `wan.agentTools.enabled` is on. Their work loads on first call.
// package.json's `when` (`config.wan.agentTools.enabled`) takes them out of the chat's tools and `vscode.lm.tools`; it is
// one key on purpose: VS Code 1.100 cannot send a tool whose `when` has `&&` to extension hosts (normalising it caches
// each key's negation, a cycle that fails JSON), and every extension's `vscode.lm.tools` then stays empty. The tools stay
// registered while off: an extension host drops a tool from `vscode.lm.tools` only while it still holds its
// registration (1.100's ExtHostLanguageModelTools.$onDidChangeTools), and `vscode.lm.invokeTool` by name does not check
// `when`, so a call while off is answered here. An untrusted workspace is refused in videoTools.ts.
import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { loadAgentTools } from '../bundles/loader';
import { agentToolsEnabled, defaultModel, toolAutoApproved } from '../vscode/settings';
import type { GenerateVideoInput } from '../agent/generateRequest';
import { planTasks, promptLabel, sourceFor, workspaceFolderPaths } from '../generate/planTasks';
import { parseDocument } from '../promptLanguage/promptDocuments';
import { errorText } from '../vscode/errorMessages';
import type { GetVideoTaskInput, VideoTools, VideoToolsDeps } from './videoTools';

/** As package.json's languageModelTools names them. */
const GENERATE_TOOL = 'wan_generate_video';
const GET_TASK_TOOL = 'wan_get_video_task';

export class AgentTools extends Disposable {
  private tools: VideoTools | undefined;

  constructor(private readonly deps: Omit<VideoToolsDeps, 'layer'>) {
    super();
    const tools = () => (this.tools ??= new (loadAgentTools().VideoTools)({
      ...this.deps,
      layer: { planTasks, sourceFor, promptLabel, workspaceFolderPaths, parseDocument, defaultModel, toolAutoApproved, errorText },
    }));
    this._register(
      vscode.lm.registerTool<GenerateVideoInput>(GENERATE_TOOL, {
        prepareInvocation: (options) => (agentToolsEnabled() ? tools().prepareGenerate(options.input) : undefined),
        invoke: (options, token) => (agentToolsEnabled() ? tools().invokeGenerate(options, token) : turnedOff()),
      }),
    );
    this._register(
      vscode.lm.registerTool<GetVideoTaskInput>(GET_TASK_TOOL, {
        invoke: (options, token) => (agentToolsEnabled() ? tools().invokeGetTask(options.input, token) : turnedOff()),
      }),
    );
  }
}

function turnedOff(): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(vscode.l10n.t('The user turned the Wan tools off (setting wan.agentTools.enabled): nothing was done. Do not call them again unless the user turns the setting on.'))]);
}

// The commented example "New Prompt File" opens: every part of the format, and no problem in it.
// Comments, titles and prompts are translated; keys and values are the API's own and never are.
import * as l10n from '@vscode/l10n';

export function examplePromptFile(): string {
  return `# ${l10n.t('A Wan prompt file. Lines starting with # are comments.')}
# ${l10n.t('The block between the --- lines sets defaults for every prompt below')}
# ${l10n.t('(hover a key to see what it allows; Ctrl+Space suggests keys and values).')}
---
model: wan2.7-t2v
resolution: 720P     # ${l10n.t('720P or 1080P')}
ratio: 16:9          # ${l10n.t('16:9, 9:16, 1:1, 4:3 or 3:4')}
duration: 5          # ${l10n.t('whole seconds, 2–15')}
---

### ${l10n.t('Paper boat')}
# ${l10n.t('A ### line starts a prompt; the words after it are its name.')}
${l10n.t('A paper boat drifting down a rain gutter after a storm, macro lens,')}
${l10n.t('soft morning light, droplets on the paper.')}

### ${l10n.t('Lighthouse, three takes')}
# ${l10n.t('A prompt may override the defaults with a front matter of its own.')}
# ${l10n.t('variants: 3 makes three videos, with seeds 7, 8 and 9.')}
---
seed: 7
variants: 3
---
${l10n.t('A lighthouse on a cliff at night, waves crashing below,')}
${l10n.t('the beam sweeping through the rain.')}
`;
}

// The commented example "New Prompt File" opens: every part of the format, and no problem in it.
export const EXAMPLE_PROMPT_FILE = `# A Wan prompt file. Lines starting with # are comments.
# The block between the --- lines sets defaults for every prompt below
# (hover a key to see what it allows; Ctrl+Space suggests keys and values).
---
model: wan2.7-t2v
resolution: 720P     # 720P or 1080P
ratio: 16:9          # 16:9, 9:16, 1:1, 4:3 or 3:4
duration: 5          # whole seconds, 2–15
---

### Paper boat
# A ### line starts a prompt; the words after it are its name.
A paper boat drifting down a rain gutter after a storm, macro lens,
soft morning light, droplets on the paper.

### Lighthouse, three takes
# A prompt may override the defaults with a front matter of its own.
# variants: 3 makes three videos, with seeds 7, 8 and 9.
---
seed: 7
variants: 3
---
A lighthouse on a cliff at night, waves crashing below,
the beam sweeping through the rain.
`;

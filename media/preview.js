// Runs inside the video preview webview: wires the buttons and reports whether the video can play.
(function () {
  const vscode = acquireVsCodeApi();
  const video = document.getElementById('video');
  const problem = document.getElementById('playback-problem');

  const report = (event) => vscode.postMessage({
    type: 'videoState',
    event,
    readyState: video.readyState,
    currentTime: video.currentTime,
    duration: Number.isFinite(video.duration) ? video.duration : undefined,
    error: video.error ? video.error.code : undefined,
  });

  video.addEventListener('loadeddata', () => report('loadeddata'));
  video.addEventListener('playing', () => report('playing'));
  video.addEventListener('error', () => {
    problem.hidden = false;
    report('error');
  });

  for (const button of document.querySelectorAll('button[data-command]')) {
    button.addEventListener('click', () => vscode.postMessage({ type: 'command', command: button.dataset.command }));
  }
  vscode.setState({ taskId: document.body.dataset.taskId });
  vscode.postMessage({ type: 'ready' });
})();

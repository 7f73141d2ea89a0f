// Runs inside the video preview webview: wires the buttons, reports whether the video can play, and keeps its place.
(function () {
  const vscode = acquireVsCodeApi();
  const video = document.getElementById('video');
  const problem = document.getElementById('playback-problem');
  const soundNote = document.getElementById('sound-note');
  const silentHere = document.getElementById('silent-here');
  const taskId = document.body.dataset.taskId;

  const report = (event) => vscode.postMessage({
    type: 'videoState',
    event,
    readyState: video.readyState,
    currentTime: video.currentTime,
    duration: Number.isFinite(video.duration) ? video.duration : undefined,
    error: video.error ? video.error.code : undefined,
    source: video.currentSrc,
    // Chromium's count of the sound's bytes it decoded so far: above 0 once the sound plays.
    audioBytes: video.webkitAudioDecodedByteCount,
  });

  video.addEventListener('loadeddata', () => report('loadeddata'));
  video.addEventListener('playing', () => report('playing'));
  video.addEventListener('pause', () => report('pause'));
  video.addEventListener('canplaythrough', () => report('canplaythrough'));
  video.addEventListener('error', () => {
    problem.hidden = false;
    report('error');
  });

  // The converted sound is ready (see src/preview/soundtracks.ts): play that file from the same place.
  window.addEventListener('message', (event) => {
    const message = event.data;
    if (!message || message.type !== 'play') return;
    const at = video.currentTime;
    const playing = !video.paused;
    video.addEventListener('loadedmetadata', () => {
      video.currentTime = at;
      if (playing) video.play().catch(() => undefined);
    }, { once: true });
    video.src = message.src;
    soundNote.textContent = message.note;
    soundNote.hidden = !message.note;
    silentHere.hidden = !message.silentHere;
  });

  for (const button of document.querySelectorAll('button[data-command]')) {
    button.addEventListener('click', () => vscode.postMessage({ type: 'command', command: button.dataset.command }));
  }

  // VS Code rebuilds this page when its hidden tab is shown again, and after a reload (the serializer reads taskId):
  // the state keeps where the video was, so it takes up there instead of starting over.
  const saved = vscode.getState();
  const save = () => vscode.setState({ taskId, currentTime: video.currentTime, paused: video.paused });
  for (const event of ['timeupdate', 'seeked', 'play', 'pause']) video.addEventListener(event, save);
  if (saved && saved.taskId === taskId && saved.currentTime > 0) {
    vscode.setState(saved);
    video.addEventListener('loadedmetadata', () => {
      video.currentTime = saved.currentTime;
      // Playing again needs no click where the webview allows it; elsewhere the video waits, paused at its place.
      if (saved.paused === false) video.play().catch(() => undefined);
    }, { once: true });
  } else {
    vscode.setState({ taskId });
  }
})();

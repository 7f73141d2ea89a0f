// Runs inside the Compare Takes webview: draws the takes in a grid that fits the panel (9 a page), plays them as one
// (a leader video, the others kept on its time by small playbackRate nudges, or a jump when far off: the rule is in
// compareSync.js), and sends the tile's commands (keep, discard the others, regenerate, variation) to the extension.
(function () {
  const vscode = acquireVsCodeApi();
  const PAGE_SIZE = 9;
  const SYNC_EVERY_MS = 100;
  /** The sync rule (media/compareSync.js, loaded before this script). */
  const { followerCorrection } = globalThis.compareSync;

  const saved = vscode.getState() || {};
  let taskIds = saved.taskIds || [];
  let pageIndex = saved.page || 0;
  let loop = saved.loop !== false;
  let resumeAt = saved.currentTime || 0;
  let takes = [];
  let labels = {};
  let playing = false;
  let soloId;
  let enlargedId;
  /** taskId → { element, video, src } of the tiles on the current page. */
  const tiles = new Map();

  const toolbar = element('div', 'toolbar');
  const playButton = element('button', 'play primary');
  const scrub = element('input', 'scrub');
  scrub.type = 'range';
  scrub.min = '0';
  scrub.step = 'any';
  scrub.value = '0';
  const time = element('span', 'time');
  const loopLabel = element('label', 'loop');
  const loopBox = element('input');
  loopBox.type = 'checkbox';
  loopBox.checked = loop;
  const loopText = element('span');
  loopLabel.append(loopBox, loopText);
  const pager = element('span', 'pager');
  const previous = element('button');
  const pageText = element('span');
  const next = element('button');
  pager.append(previous, pageText, next);
  const hint = element('span', 'hint');
  toolbar.append(playButton, scrub, time, loopLabel, pager, hint);
  const grid = element('main', 'grid');
  document.body.append(toolbar, grid);

  function element(tag, className) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    return node;
  }

  function format(template, ...values) {
    return String(template ?? '').replace(/\{(\d+)\}/g, (_, i) => String(values[Number(i)]));
  }

  function videos() {
    return [...tiles.values()].map((tile) => tile.video).filter(Boolean);
  }

  /** The longest video that knows its length: every other follows its clock. */
  function leader() {
    let best;
    for (const video of videos()) {
      if (video.readyState >= 1 && (!best || video.duration > best.duration)) best = video;
    }
    return best;
  }

  function pageTakes() {
    const pages = Math.max(1, Math.ceil(takes.length / PAGE_SIZE));
    pageIndex = Math.min(pageIndex, pages - 1);
    return takes.slice(pageIndex * PAGE_SIZE, (pageIndex + 1) * PAGE_SIZE);
  }

  function render() {
    const shown = pageTakes();
    const ids = new Set(shown.map((take) => take.taskId));
    for (const [id, tile] of tiles) {
      const take = shown.find((t) => t.taskId === id);
      if (!ids.has(id) || tile.src !== take.src) {
        tile.element.remove();
        tiles.delete(id);
      }
    }
    const columns = Math.ceil(Math.sqrt(shown.length || 1));
    grid.style.gridTemplateColumns = `repeat(${columns}, minmax(0, 1fr))`;
    grid.style.gridTemplateRows = `repeat(${Math.ceil((shown.length || 1) / columns)}, minmax(0, 1fr))`;
    grid.dataset.columns = String(columns);
    for (const take of shown) {
      const tile = tiles.get(take.taskId) || createTile(take);
      updateTile(tile, take);
      grid.append(tile.element); // in the takes' order
    }
    grid.classList.toggle('has-enlarged', Boolean(enlargedId && tiles.has(enlargedId)));
    playButton.textContent = playing ? labels.pause : labels.play;
    loopText.textContent = labels.loop;
    scrub.setAttribute('aria-label', labels.position || '');
    const pages = Math.ceil(takes.length / PAGE_SIZE);
    pager.hidden = pages <= 1;
    pageText.textContent = format(labels.page, pageIndex + 1, pages);
    previous.textContent = labels.previous;
    next.textContent = labels.next;
    previous.disabled = pageIndex === 0;
    next.disabled = pageIndex >= pages - 1;
    hint.textContent = labels.keys;
    saveState();
    report();
  }

  function createTile(take) {
    const tile = { element: element('section', 'tile'), src: take.src, video: undefined };
    tile.element.tabIndex = 0;
    tile.element.dataset.taskId = take.taskId;
    if (take.src) {
      const video = element('video');
      video.muted = true;
      video.preload = 'auto';
      video.playsInline = true;
      video.src = take.src;
      video.addEventListener('loadedmetadata', () => {
        const lead = leader();
        video.currentTime = lead && lead !== video ? lead.currentTime : resumeAt;
        updateScrub();
      });
      video.addEventListener('loadeddata', () => {
        if (playing) video.play().catch(() => undefined);
        report();
      });
      // The seek to the leader's time (above) drops a video back below "can play" until it lands: say so again then.
      video.addEventListener('canplay', report);
      video.addEventListener('ended', () => {
        if (video === leader()) onLeaderEnded();
      });
      video.addEventListener('error', () => {
        tile.element.classList.add('broken');
        report();
      });
      video.addEventListener('click', () => tile.element.focus());
      tile.video = video;
      tile.element.append(video);
    } else {
      tile.element.append(element('div', 'placeholder'));
    }
    const caption = element('div', 'caption');
    const actions = element('div', 'actions');
    for (const [name, className] of [['solo'], ['enlarge'], ['keep', 'primary'], ['discardOthers'], ['regenerate'], ['variation']]) {
      const button = element('button', className);
      button.dataset.action = name;
      button.addEventListener('click', () => act(name, take.taskId));
      actions.append(button);
    }
    tile.element.append(caption, actions);
    tiles.set(take.taskId, tile);
    return tile;
  }

  function updateTile(tile, take) {
    const { element: node } = tile;
    node.classList.toggle('kept', take.kept);
    node.classList.toggle('discarded', take.discarded);
    node.classList.toggle('enlarged', enlargedId === take.taskId);
    node.classList.toggle('solo', soloId === take.taskId);
    const placeholder = node.querySelector('.placeholder');
    if (placeholder) {
      placeholder.classList.toggle('running', take.active);
      placeholder.textContent = take.discarded ? labels.discarded : take.active ? format(labels.waiting, take.status) : format(labels.noVideo, take.status);
    }
    const caption = node.querySelector('.caption');
    caption.textContent = '';
    const seed = element('strong', 'seed');
    seed.textContent = `${take.kept ? '★ ' : ''}${take.seed === undefined ? labels.noSeed : format(labels.seed, take.seed)}`;
    caption.append(seed);
    for (const difference of take.differences) caption.append(Object.assign(element('span', 'difference'), { textContent: difference }));
    if (take.silentHere) caption.append(Object.assign(element('span', 'notice'), { textContent: labels.silent }));
    if (node.classList.contains('broken')) caption.append(Object.assign(element('span', 'notice'), { textContent: labels.cannotPlay }));
    node.setAttribute('aria-label', seed.textContent);
    for (const button of node.querySelectorAll('button[data-action]')) {
      const action = button.dataset.action;
      const text = {
        solo: soloId === take.taskId ? labels.unsolo : labels.solo,
        enlarge: enlargedId === take.taskId ? labels.shrink : labels.enlarge,
        keep: take.kept ? labels.kept : labels.keep,
        discardOthers: labels.discardOthers,
        regenerate: labels.regenerate,
        variation: labels.variation,
      }[action];
      button.textContent = text;
      // A take with no video can still be regenerated or varied; only a video can be kept, soloed or enlarged.
      button.disabled = (!take.src && !['regenerate', 'variation'].includes(action)) || (action === 'keep' && take.kept);
    }
  }

  function act(action, taskId) {
    switch (action) {
      case 'solo': setSolo(soloId === taskId ? undefined : taskId); break;
      case 'enlarge': setEnlarged(enlargedId === taskId ? undefined : taskId); break;
      default: vscode.postMessage({ type: 'command', command: action, taskId });
    }
  }

  /** Its sound on, every other muted; again: all muted. */
  function setSolo(taskId) {
    soloId = taskId;
    for (const [id, tile] of tiles) if (tile.video) tile.video.muted = id !== soloId;
    render();
  }

  function setEnlarged(taskId) {
    enlargedId = taskId;
    render();
    tiles.get(taskId)?.element.focus();
  }

  function play() {
    playing = true;
    const lead = leader();
    if (lead && lead.ended) seekAll(0);
    for (const video of videos()) video.play().catch(() => undefined);
    render();
  }

  function pause() {
    playing = false;
    const lead = leader();
    for (const video of videos()) {
      video.pause();
      video.playbackRate = 1;
    }
    // Paused, every take shows the same moment.
    if (lead) seekAll(lead.currentTime);
    render();
  }

  function seekAll(seconds) {
    for (const video of videos()) {
      video.currentTime = Math.min(seconds, Number.isFinite(video.duration) ? video.duration : seconds);
      video.playbackRate = 1;
    }
    updateScrub();
  }

  function onLeaderEnded() {
    if (loop && playing) {
      seekAll(0);
      for (const video of videos()) video.play().catch(() => undefined);
    } else {
      playing = false;
      render();
    }
  }

  /** Keeps every follower on the leader's time. */
  function sync() {
    const lead = leader();
    if (lead && playing && !lead.paused && !lead.seeking) {
      const now = lead.currentTime;
      for (const video of videos()) {
        if (video === lead || video.readyState < 2 || video.seeking) continue;
        if (now >= video.duration) {
          if (!video.paused) video.pause(); // a shorter take waits at its end
          continue;
        }
        if (video.paused) video.play().catch(() => undefined);
        const { jump, rate } = followerCorrection(video.currentTime - now);
        if (jump) video.currentTime = now;
        if (video.playbackRate !== rate) video.playbackRate = rate;
      }
    }
    updateScrub();
  }

  function updateScrub() {
    const lead = leader();
    if (!lead) return;
    if (Number.isFinite(lead.duration)) scrub.max = String(lead.duration);
    if (document.activeElement !== scrub) scrub.value = String(lead.currentTime);
    time.textContent = `${lead.currentTime.toFixed(1)} / ${Number.isFinite(lead.duration) ? lead.duration.toFixed(1) : '–'} s`;
    resumeAt = lead.currentTime;
    saveState();
  }

  function saveState() {
    vscode.setState({ taskIds, page: pageIndex, currentTime: resumeAt, loop });
  }

  function report() {
    const list = videos();
    vscode.postMessage({
      type: 'report',
      page: pageIndex + 1,
      pages: Math.max(1, Math.ceil(takes.length / PAGE_SIZE)),
      shown: pageTakes().map((take) => take.taskId),
      videos: list.length,
      loaded: list.filter((video) => video.readyState >= 2).length,
      playing,
      currentTimes: list.map((video) => video.currentTime),
    });
  }

  function moveFocus(step) {
    const order = [...grid.querySelectorAll('.tile')];
    const current = order.indexOf(document.activeElement);
    const target = order[Math.max(0, Math.min(order.length - 1, current < 0 ? 0 : current + step))];
    if (!target) return;
    target.focus();
    if (enlargedId) setEnlarged(target.dataset.taskId);
  }

  function togglePlay() {
    if (playing) pause();
    else play();
  }

  playButton.addEventListener('click', togglePlay);
  scrub.addEventListener('input', () => seekAll(Number(scrub.value)));
  loopBox.addEventListener('change', () => {
    loop = loopBox.checked;
    saveState();
  });
  previous.addEventListener('click', () => {
    pageIndex--;
    render();
  });
  next.addEventListener('click', () => {
    pageIndex++;
    render();
  });

  document.addEventListener('keydown', (event) => {
    const onTile = event.target instanceof HTMLElement && event.target.classList.contains('tile');
    const onControl = event.target instanceof HTMLElement && ['INPUT', 'BUTTON'].includes(event.target.tagName);
    const columns = Number(grid.dataset.columns) || 1;
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.taskId : undefined;
    if (event.key === 'ArrowLeft' && !onControl) moveFocus(-1);
    else if (event.key === 'ArrowRight' && !onControl) moveFocus(1);
    else if (event.key === 'ArrowUp' && !onControl) moveFocus(enlargedId ? -1 : -columns);
    else if (event.key === 'ArrowDown' && !onControl) moveFocus(enlargedId ? 1 : columns);
    else if (event.key === ' ' && !onControl) togglePlay();
    else if (event.key === 'Enter' && onTile && focused) setEnlarged(enlargedId === focused ? undefined : focused);
    else if (event.key === 'Escape' && enlargedId) setEnlarged(undefined);
    else if ((event.key === 'k' || event.key === 'K') && focused && !event.ctrlKey && !event.metaKey && !event.altKey) act('keep', focused);
    else return;
    event.preventDefault();
  });

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (!message || message.type !== 'takes') return;
    taskIds = message.taskIds;
    takes = message.takes;
    labels = message.labels;
    render();
  });

  setInterval(sync, SYNC_EVERY_MS);
  vscode.postMessage({ type: 'ready' });
})();

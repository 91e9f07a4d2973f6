// musync web wizard: the little behaviour pages need beyond HTML.
// Live job progress (polling), the playlist menus, jumping to a song's
// peer, the review filter and counters, the live log. No dependencies.
(function () {
  'use strict';

  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';

  function getJSON(url) {
    return fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) {
        return r.json().then(function (body) { return { ok: r.ok, status: r.status, body: body }; });
      });
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  // ---- background jobs -------------------------------------------------

  function barNode(bar) {
    var wrap = el('div', 'bar');
    var label = el('div', 'bar-label');
    var count;
    if (bar.total !== null && bar.total !== undefined) count = bar.done + ' of ' + bar.total;
    else count = bar.done > 0 ? bar.done + ' so far' : 'starting…';
    label.appendChild(el('span', '', bar.label));
    label.appendChild(el('span', 'count', count));
    var p = document.createElement('progress');
    p.setAttribute('aria-label', bar.label);
    if (bar.total !== null && bar.total !== undefined) {
      p.max = Math.max(bar.total, 1);
      p.value = Math.min(bar.done, bar.total);
    }
    p.textContent = count;
    wrap.appendChild(label);
    wrap.appendChild(p);
    return wrap;
  }

  function resultNode(r) {
    var li = el('li', 'result ' + r.status);
    var sym = el('span', 'symbol', r.symbol);
    sym.setAttribute('aria-hidden', 'true');
    li.appendChild(sym);
    var what = el('span', 'what');
    what.appendChild(el('strong', '', r.source));
    what.appendChild(document.createTextNode(' → ' + r.to));
    if (r.target) what.appendChild(el('span', 'muted', ' as ' + r.target));
    li.appendChild(what);
    if (r.reason) li.appendChild(el('span', 'reason', r.reason));
    return li;
  }

  function watchJob(panel) {
    var id = panel.getAttribute('data-job');
    if (panel.getAttribute('data-state') !== 'running') return;
    var bars = panel.querySelector('[data-bars]');
    var message = panel.querySelector('[data-message]');
    var urlBox = panel.querySelector('[data-url]');
    var rowsList = document.querySelector('[data-rows]');
    var seen = rowsList ? rowsList.children.length : 0;
    var lastBars = null;
    function tick() {
      getJSON('/api/jobs/' + id + '?after=' + seen).then(function (res) {
        if (!res.ok) { setTimeout(tick, 1500); return; }
        var job = res.body.job;
        // Re-render only on change, so screen readers hear news, not noise.
        var shape = JSON.stringify(job.bars);
        if (shape !== lastBars) {
          lastBars = shape;
          bars.replaceChildren.apply(bars, job.bars.map(barNode));
        }
        if (message) message.textContent = job.message || '';
        if (urlBox && job.url) {
          urlBox.querySelector('[data-url-link]').href = job.url;
          urlBox.querySelector('[data-url-text]').textContent = job.url;
          urlBox.hidden = false;
        }
        if (rowsList) {
          res.body.new_rows.forEach(function (r) { rowsList.appendChild(resultNode(r)); });
          seen += res.body.new_rows.length;
        }
        if (job.state === 'running') setTimeout(tick, 400);
        else window.location.reload();
      }).catch(function () { setTimeout(tick, 1500); });
    }
    setTimeout(tick, 250);
  }

  // ---- step 1: playlist menus and peers ---------------------------------

  function loadPlaylists(sourceSelect) {
    var target = document.getElementById(sourceSelect.getAttribute('data-playlists-for'));
    var status = sourceSelect.closest('.pane').querySelector('[data-status]');
    var wanted = target.getAttribute('data-selected');
    target.replaceChildren(el('option', '', sourceSelect.value ? 'Loading playlists…' : 'Choose an account first'));
    target.firstChild.value = '';
    target.disabled = true;
    status.textContent = '';
    updateCompareButton();
    if (!sourceSelect.value) return;
    status.textContent = 'Loading playlists…';
    getJSON('/api/playlists?source=' + encodeURIComponent(sourceSelect.value)).then(function (res) {
      if (!res.ok) {
        status.textContent = res.body.error + (res.body.hint ? ' — ' + res.body.hint : '');
        status.classList.add('error-text');
        target.firstChild.textContent = 'Could not load playlists';
        return;
      }
      status.classList.remove('error-text');
      var lists = res.body.playlists;
      var first = el('option', '', 'Choose a playlist…');
      first.value = '';
      target.replaceChildren(first);
      lists.forEach(function (p) {
        var label = p.name;
        if (p.track_count !== null && p.track_count !== undefined) label += ' (' + p.track_count + ')';
        if (!p.writable) label += ' — read-only';
        var o = el('option', '', label);
        o.value = p.id;
        if (wanted && p.id === wanted) o.selected = true;
        target.appendChild(o);
      });
      if (lists.length === 1 && !wanted) target.value = lists[0].id;
      target.disabled = false;
      status.textContent = lists.length + (lists.length === 1 ? ' playlist' : ' playlists');
      updateCompareButton();
    }).catch(function () {
      status.textContent = 'Could not load playlists (is musync still running?)';
    });
  }

  function updateCompareButton() {
    var btn = document.getElementById('compare-btn');
    if (!btn) return;
    var ready = ['left-playlist', 'right-playlist'].every(function (id) {
      var s = document.getElementById(id);
      return s && s.value;
    });
    btn.disabled = !ready;
  }

  function showPeer(li) {
    var peer = document.getElementById(li.getAttribute('data-peer'));
    if (!peer) return;
    document.querySelectorAll('.track.highlight').forEach(function (x) { x.classList.remove('highlight'); });
    li.classList.add('highlight');
    peer.classList.add('highlight');
    peer.scrollIntoView({ block: 'center', behavior: 'smooth' });
    var btn = peer.querySelector('button.peer');
    if (btn) btn.focus({ preventScroll: true });
  }

  // ---- step 2: filter, live counters -----------------------------------

  function updateReview() {
    var form = document.getElementById('review-form');
    if (!form) return;
    var adds = 0;
    form.querySelectorAll('select[name^="row-"]').forEach(function (s) {
      if (/^c\d+$/.test(s.value) || s.value === 'exact') adds++;
    });
    var count = form.querySelector('[data-add-count]');
    if (count) count.textContent = adds + (adds === 1 ? ' song will be added' : ' songs will be added');
  }

  function showWhy(select) {
    var cell = select.closest('tr').querySelector('[data-why]');
    var opt = select.options[select.selectedIndex];
    if (!cell || !opt) return;
    var score = opt.getAttribute('data-score');
    var reason = opt.getAttribute('data-reason');
    if (score === null && reason === null) return;
    cell.replaceChildren();
    if (score !== null) {
      var s = el('span', 'score ' + (parseFloat(score) >= 0.75 ? 'ok' : 'warn'), score);
      cell.appendChild(s);
      cell.appendChild(document.createTextNode(' '));
    }
    if (reason) cell.appendChild(el('span', 'reason', reason));
  }

  // ---- logs ---------------------------------------------------------------

  function logNode(e) {
    var kind = e.activity ? 'activity' : 'technical';
    var li = el('li', 'log ' + kind + ' ' + e.level.toLowerCase());
    li.setAttribute('data-seq', e.seq);
    var t = el('time', '', new Date(e.ms).toLocaleTimeString());
    t.setAttribute('data-ms', e.ms);
    li.appendChild(t);
    if (!e.activity) {
      li.appendChild(el('span', 'level', e.level));
      li.appendChild(el('span', 'target', e.target));
    }
    li.appendChild(el('span', 'msg', e.message));
    return li;
  }

  function watchLogs(list, isOpen) {
    var after = parseInt(list.getAttribute('data-after') || '0', 10);
    var max = list.classList.contains('full') ? 2000 : 200;
    function tick() {
      if (!isOpen()) { setTimeout(tick, 1000); return; }
      getJSON('/api/logs?after=' + after).then(function (res) {
        if (res.ok) {
          var follow = document.getElementById('log-follow');
          var atEnd = !follow || follow.checked;
          res.body.entries.forEach(function (e) {
            list.appendChild(logNode(e));
            after = e.seq;
          });
          while (list.children.length > max) list.removeChild(list.firstChild);
          var empty = document.querySelector('[data-logs-empty]');
          if (empty && list.children.length) empty.remove();
          if (res.body.entries.length && atEnd) {
            if (list.classList.contains('full')) window.scrollTo(0, document.body.scrollHeight);
            else list.scrollTop = list.scrollHeight;
          }
        }
        setTimeout(tick, 1000);
      }).catch(function () { setTimeout(tick, 3000); });
    }
    tick();
  }

  // ---- wiring -------------------------------------------------------------

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('time[data-ms]').forEach(function (t) {
      t.textContent = new Date(parseInt(t.getAttribute('data-ms'), 10)).toLocaleTimeString();
    });
    document.querySelectorAll('[data-job]').forEach(watchJob);

    document.querySelectorAll('select[data-playlists-for]').forEach(function (s) {
      s.addEventListener('change', function () {
        document.getElementById(s.getAttribute('data-playlists-for')).removeAttribute('data-selected');
        loadPlaylists(s);
      });
      loadPlaylists(s);
    });
    ['left-playlist', 'right-playlist'].forEach(function (id) {
      var s = document.getElementById(id);
      if (s) s.addEventListener('change', updateCompareButton);
    });
    updateCompareButton();

    document.querySelectorAll('.track.both button.peer').forEach(function (b) {
      b.addEventListener('click', function () { showPeer(b.closest('.track')); });
    });

    var filter = document.querySelector('[data-filter-uncertain]');
    var table = document.getElementById('review-table');
    if (filter && table) {
      filter.addEventListener('change', function () {
        table.classList.toggle('only-uncertain', filter.checked);
      });
    }
    document.querySelectorAll('#review-form select[name^="row-"]').forEach(function (s) {
      s.addEventListener('change', function () { showWhy(s); updateReview(); });
    });
    updateReview();

    var full = document.querySelector('ol.loglines.full[data-logs]');
    if (full) {
      watchLogs(full, function () { return true; });
      var technical = document.getElementById('log-technical');
      if (technical) technical.addEventListener('change', function () {
        full.classList.toggle('hide-technical', !technical.checked);
      });
    }
    var drawer = document.getElementById('logdrawer');
    if (drawer) {
      var list = drawer.querySelector('[data-logs]');
      var started = false;
      drawer.addEventListener('toggle', function () {
        if (drawer.open && !started) { started = true; watchLogs(list, function () { return drawer.open; }); }
      });
    }
  });

  // The CSRF token for any script-made POST.
  window.musync = { csrf: csrf };
})();

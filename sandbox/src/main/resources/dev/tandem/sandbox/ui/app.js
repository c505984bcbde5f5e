// Slack sandbox UI: vanilla JS against the control API; DOM built with createElement/textContent only.
'use strict';
(() => {
  const API = document.body.dataset.api;
  const $ = (id) => document.getElementById(id);
  const S = { teams: [], team: null, user: null, channel: null, app: null, replyTo: null,
    seen: { teams: '', messages: '', home: '', modal: '' } };

  function el(tag, props, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') e.textContent = v;
      else if (k === 'className') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const k of kids.flat()) if (k !== null && k !== undefined) e.append(k);
    return e;
  }

  async function api(path, body) {
    const res = await fetch(API + path, body === undefined ? {} : {
      method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) });
    const json = await res.json();
    if (!res.ok) throw new Error(json.error || ('HTTP ' + res.status));
    return json;
  }
  const q = (params) => '?' + new URLSearchParams(params).toString();
  const say = (msg) => { $('status').textContent = msg; };
  const fail = (e) => say('Error: ' + e.message);

  const team = () => S.teams.find((t) => t.team_id === S.team);
  function userName(id) {
    const u = team() && team().users.find((x) => x.id === id);
    return u ? u.name : id;
  }

  // Slack text: <@U1> mentions, <#C1|name> channels, <url|label> links; rendered as text, never as HTML.
  function mrkdwn(text) {
    return String(text || '').replace(/<@([A-Z0-9]+)>/g, (_, id) => '@' + userName(id))
      .replace(/<#[A-Z0-9]+\|([^>]*)>/g, '#$1').replace(/<([^|>]+)\|([^>]+)>/g, '$2').replace(/<([^>]+)>/g, '$1')
      .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  }
  const txt = (t) => (t && typeof t === 'object' ? mrkdwn(t.text) : mrkdwn(t));
  // *bold*, _italic_, ~strike~ and `code` of mrkdwn objects as elements holding text
  const MARKS = { '*': 'strong', _: 'em', '~': 's', '`': 'code' };
  function rich(t) {
    const s = txt(t);
    if (!t || t.type !== 'mrkdwn') return [s];
    return s.split(/(\*[^*\n]+\*|_[^_\n]+_|~[^~\n]+~|`[^`\n]+`)/).filter(Boolean).map((part) => {
      const tag = part.length > 2 && MARKS[part[0]] && part.endsWith(part[0]) ? MARKS[part[0]] : null;
      return tag ? el(tag, { text: part.slice(1, -1) }) : part;
    });
  }

  function richText(block) {
    const parts = [];
    const walk = (n) => {
      if (n.type === 'text' || n.type === 'link') parts.push(n.text || n.url || '');
      else if (n.type === 'user') parts.push('@' + userName(n.user_id));
      else if (n.type === 'channel') parts.push('#' + n.channel_id);
      else if (n.type === 'emoji') parts.push(':' + n.name + ':');
      (n.elements || []).forEach(walk);
      if (n.type === 'rich_text_section' || n.type === 'rich_text_preformatted') parts.push('\n');
    };
    walk(block);
    return el('p', { className: 'text', text: parts.join('').replace(/\n$/, '') });
  }

  // Images from other origins would break the page's CSP (img-src 'self'): show them as links instead.
  function image(url, alt) {
    const sameOrigin = new URL(url, location.href).origin === location.origin;
    return sameOrigin ? el('img', { src: url, alt: alt || '' })
      : el('a', { href: url, rel: 'noopener noreferrer', text: 'Image: ' + (alt || url) });
  }

  function options(element) {
    const all = [...(element.options || [])];
    (element.option_groups || []).forEach((g) => all.push(...(g.options || [])));
    return all;
  }

  // An interactive element. ctx.act(actionId, value) sends block_actions; ctx.form collects input values.
  function element(e, blockId, ctx, inInput) {
    const id = 'f-' + blockId + '-' + e.action_id;
    switch (e.type) {
      case 'button':
        return el('button', { type: 'button', className: e.style || null, 'data-action-id': e.action_id,
          onclick: () => ctx.act(e.action_id, e.value) }, txt(e.text));
      case 'static_select': case 'multi_static_select': case 'overflow': {
        const multi = e.type === 'multi_static_select';
        const s = el('select', { id, multiple: multi, 'data-action-id': e.action_id,
          'aria-label': inInput ? null : txt(e.placeholder) || (e.type === 'overflow' ? 'More actions' : 'Choose') });
        if (!multi) s.append(el('option', { value: '', text: txt(e.placeholder) || 'Choose…' }));
        const initial = [e.initial_option, ...(e.initial_options || [])].filter(Boolean).map((o) => o.value);
        options(e).forEach((o) => s.append(el('option', { value: o.value, selected: initial.includes(o.value),
          text: txt(o.text) })));
        if (inInput) ctx.form.push({ blockId, e, get: () => selectValue(e, s) });
        else s.addEventListener('change', () => { if (s.value) ctx.act(e.action_id, s.value); });
        return s;
      }
      case 'datepicker': case 'timepicker': {
        const date = e.type === 'datepicker';
        const i = el('input', { id, type: date ? 'date' : 'time', value: date ? e.initial_date : e.initial_time,
          'aria-label': inInput ? null : txt(e.placeholder) || e.type });
        if (inInput) ctx.form.push({ blockId, e, get: () => (date ? { selected_date: i.value || null } : { selected_time: i.value || null }) });
        else i.addEventListener('change', () => ctx.act(e.action_id, i.value));
        return i;
      }
      case 'checkboxes': case 'radio_buttons': {
        const box = el('div', { role: e.type === 'checkboxes' ? 'group' : 'radiogroup' });
        const inputs = options(e).map((o, n) => {
          const i = el('input', { type: e.type === 'checkboxes' ? 'checkbox' : 'radio', id: id + '-' + n, name: id,
            value: o.value, checked: (e.initial_options || []).some((x) => x.value === o.value)
              || (e.initial_option && e.initial_option.value === o.value) });
          box.append(el('div', {}, i, el('label', { for: id + '-' + n, text: ' ' + txt(o.text) })));
          return [i, o];
        });
        const picked = () => inputs.filter(([i]) => i.checked).map(([, o]) => o);
        if (inInput) ctx.form.push({ blockId, e, get: () => (e.type === 'checkboxes' ? { selected_options: picked() }
          : { selected_option: picked()[0] || null }) });
        return box;
      }
      case 'plain_text_input': case 'number_input': case 'email_input': case 'url_input': case 'external_select': {
        const type = { number_input: 'number', email_input: 'email', url_input: 'url' }[e.type] || 'text';
        const i = e.multiline ? el('textarea', { id, rows: 3 }) : el('input', { id, type });
        i.value = e.initial_value || '';
        if (e.placeholder) i.setAttribute('placeholder', txt(e.placeholder));
        if (e.type === 'external_select') {
          ctx.form.push({ blockId, e, get: () => ({ selected_option: i.value ? { text: { type: 'plain_text', text: i.value }, value: i.value } : null }) });
        } else ctx.form.push({ blockId, e, get: () => ({ value: i.value }) });
        return i;
      }
      case 'image': return image(e.image_url, e.alt_text);
      default: return el('span', { className: 'meta', text: '[' + e.type + ']' });
    }
  }

  function selectValue(e, s) {
    const chosen = options(e).filter((o) => [...s.selectedOptions].some((x) => x.value === o.value));
    return e.type === 'multi_static_select' ? { selected_options: chosen } : { selected_option: chosen[0] || null };
  }

  function block(b, ctx) {
    const id = b.block_id || '';
    switch (b.type) {
      case 'section': {
        const body = el('div', {}, b.text ? el('p', { className: 'text' }, rich(b.text)) : null,
          b.fields ? el('div', { className: 'fields' }, b.fields.map((f) => el('p', { className: 'text' }, rich(f)))) : null);
        return el('div', { className: 'block-section' }, body, b.accessory ? element(b.accessory, id, ctx, false) : null);
      }
      case 'header': return el('h3', { className: 'block-header', text: txt(b.text) });
      case 'divider': return el('hr');
      case 'context': return el('div', { className: 'block-context' },
        (b.elements || []).map((e) => (e.type === 'image' ? image(e.image_url, e.alt_text) : el('span', {}, rich(e)))));
      case 'image': return el('figure', { className: 'block-image' }, image(b.image_url, b.alt_text),
        b.title ? el('figcaption', { text: txt(b.title) }) : null);
      case 'actions': return el('div', { className: 'block-actions' }, (b.elements || []).map((e) => element(e, id, ctx, false)));
      case 'rich_text': return richText(b);
      case 'input': {
        const e = b.element || {};
        const grouped = e.type === 'checkboxes' || e.type === 'radio_buttons';
        const label = txt(b.label) + (b.optional ? ' (optional)' : '');
        const error = el('p', { className: 'error', 'data-error-for': id });
        const control = element(e, id, ctx, true);
        return grouped ? el('fieldset', { className: 'block-input' }, el('legend', { text: label }), control,
          b.hint ? el('p', { className: 'hint', text: txt(b.hint) }) : null, error)
          : el('div', { className: 'block-input' }, el('label', { for: 'f-' + id + '-' + e.action_id, text: label }),
            control, b.hint ? el('p', { className: 'hint', text: txt(b.hint) }) : null, error);
      }
      default: return el('p', { className: 'meta', text: '[unsupported block: ' + b.type + ']' });
    }
  }
  const blocks = (list, ctx) => (list || []).map((b) => block(b, ctx));

  // --- messages -------------------------------------------------------------------------------------------
  const who = () => ({ team_id: S.team, user: S.user });

  function messageItem(m) {
    const ctx = { form: [], act: (actionId, value) => api('/actions', { ...who(), channel: S.channel,
      message_ts: m.ts, action_id: actionId, value }).then((r) => say('App answered HTTP ' + r.status)).catch(fail) };
    const author = m.bot_profile ? m.bot_profile.name : m.username || userName(m.user);
    const onlyRich = !m.blocks || m.blocks.every((b) => b.type === 'rich_text');
    const li = el('li', { 'data-ts': m.ts },
      el('span', { className: 'author', text: author }),
      el('span', { className: 'ts', text: new Date(parseFloat(m.ts) * 1000).toLocaleTimeString() }),
      m.subtype === 'thread_broadcast' ? el('span', { className: 'meta', text: ' · also sent to the channel' }) : null,
      onlyRich ? el('p', { className: 'text', text: mrkdwn(m.text) }) : el('div', { className: 'blocks' }, blocks(m.blocks, ctx)),
      m.edited ? el('span', { className: 'meta', text: '(edited)' }) : null,
      (m.files || []).map((f) => el('p', { className: 'meta' }, 'File: ', el('a', {
        href: API + '/files/' + encodeURIComponent(f.id) + q({ team_id: S.team }), text: f.name }),
        ' (' + f.size + ' bytes)')));
    const reactions = el('div', { className: 'reactions' }, (m.reactions || []).map((r) => {
      const mine = r.users.includes(S.user);
      return el('button', { type: 'button', className: 'reaction', 'aria-pressed': String(mine),
        'aria-label': ':' + r.name + ': ' + r.count + (mine ? ', remove yours' : ', add yours'),
        onclick: () => react(m, r.name, mine) }, ':' + r.name + ': ' + r.count);
    }));
    const input = el('input', { type: 'text', 'aria-label': 'Reaction name for message ' + m.ts, placeholder: 'emoji name' });
    const tools = el('form', { className: 'msg-tools', onsubmit: (ev) => { ev.preventDefault();
      if (input.value.trim()) react(m, input.value.trim().replace(/:/g, ''), false); } },
    input, el('button', { type: 'submit', text: 'Add reaction' }),
    m.thread_ts && m.thread_ts !== m.ts ? null
      : el('button', { type: 'button', className: 'reply', text: 'Reply in thread', onclick: () => replyTo(m) }));
    li.append(el('div', { className: 'msg-foot' }, reactions, tools));
    return li;
  }

  function react(m, name, remove) {
    api('/reactions', { ...who(), channel: S.channel, ts: m.ts, name, remove })
      .then(() => refresh()).catch(fail);
  }

  function replyTo(m) {
    S.replyTo = m ? m.ts : null;
    $('replying').hidden = !m;
    $('replying-text').textContent = m ? 'Replying in thread to ' + userName(m.user) + ': ' + mrkdwn(m.text).slice(0, 60) : '';
    $('composer-text').focus();
  }

  function renderMessages(list) {
    const replies = {};
    list.filter((m) => m.thread_ts && m.thread_ts !== m.ts).forEach((m) => (replies[m.thread_ts] ||= []).push(m));
    const ul = $('messages');
    ul.replaceChildren(...list.filter((m) => !m.thread_ts || m.thread_ts === m.ts).map((m) => {
      const li = messageItem(m);
      if (replies[m.ts]) li.append(el('ul', { className: 'replies', 'aria-label': 'Thread replies' }, replies[m.ts].map(messageItem)));
      return li;
    }));
  }

  // --- home tab and modals -------------------------------------------------------------------------------
  function viewCtx(view) {
    return { form: [], act: (actionId, value) => api('/views/actions', { ...who(), view_id: view.id, action_id: actionId, value })
      .then((r) => { say('App answered HTTP ' + r.status); refresh(); }).catch(fail) };
  }

  function renderHome(view) {
    $('home-blocks').replaceChildren(...(view && view.id ? blocks(view.blocks, viewCtx(view))
      : [el('p', { className: 'meta', text: 'The app has not published a Home tab for you yet.' })]));
  }

  let modalForm = null;
  function renderModal(modal) {
    const d = $('modal');
    if (!modal) { if (d.open) d.close(); return; }
    const ctx = viewCtx(modal);
    modalForm = { view: modal, ctx };
    $('modal-title').textContent = txt(modal.title);
    $('modal-blocks').replaceChildren(...blocks(modal.blocks, ctx));
    $('modal-error').textContent = '';
    $('modal-submit').hidden = !modal.submit;
    $('modal-submit').textContent = modal.submit ? txt(modal.submit) : 'Submit';
    $('modal-close').textContent = modal.close ? txt(modal.close) : 'Close';
    if (!d.open) d.showModal();
  }

  async function submitModal(ev) {
    ev.preventDefault();
    if (!modalForm) return;
    const values = {};
    modalForm.ctx.form.forEach(({ blockId, e, get }) => {
      (values[blockId] ||= {})[e.action_id] = { type: e.type, ...get() };
    });
    try {
      const ack = await api('/views/submit', { ...who(), view_id: modalForm.view.id, values });
      document.querySelectorAll('[data-error-for]').forEach((p) => { p.textContent = ''; });
      if (ack.response_action === 'errors') {
        Object.entries(ack.errors || {}).forEach(([b, msg]) => {
          const p = document.querySelector('[data-error-for="' + CSS.escape(b) + '"]');
          if (p) p.textContent = msg; else $('modal-error').textContent += msg + ' ';
        });
        return;
      }
      S.seen.modal = null;
      await refresh();
    } catch (e) { $('modal-error').textContent = e.message; }
  }

  // --- selection and polling ------------------------------------------------------------------------------
  function fillSelect(s, items, current) {
    s.replaceChildren(...items.map(([v, label]) => el('option', { value: v, text: label, selected: v === current })));
  }

  function renderSide() {
    const t = team();
    if (!t) return;
    fillSelect($('workspace'), S.teams.map((x) => [x.team_id, x.name]), S.team);
    fillSelect($('person'), t.users.filter((u) => !u.is_bot).map((u) => [u.id, u.name]), S.user);
    const mine = t.channels.filter((c) => !c.is_im && (!c.is_private || c.members.includes(S.user)));
    const dms = t.channels.filter((c) => c.is_im && c.members.includes(S.user));
    $('channels').replaceChildren(...mine.map((c) => el('li', {}, el('button', { type: 'button',
      'data-channel': c.name, 'aria-current': String(c.id === S.channel),
      onclick: () => select(c.id, null) }, '# ' + c.name + (c.is_private ? ' (private)' : '')))),
      ...dms.map((c) => el('li', {}, el('button', { type: 'button', 'data-dm': c.id, 'aria-current': String(c.id === S.channel),
        onclick: () => select(c.id, null) }, '@ ' + label(c)))));
    $('apps').replaceChildren(...t.apps.map((a) => el('li', {}, el('button', { type: 'button',
      'data-app': a.app_id, 'aria-current': String(a.app_id === S.app), onclick: () => select(null, a.app_id) }, a.name + ' — Home'))));
  }

  /** A direct message is named after the other member. */
  function label(c) {
    const t = team();
    const other = c.members.find((m) => m !== S.user) || S.user;
    const u = t.users.find((x) => x.id === other);
    const a = t.apps.find((x) => x.bot_user_id === other);
    return u ? u.name : a ? a.name : other;
  }

  function select(channel, app) {
    const t = team();
    const c = t && t.channels.find((x) => x.id === channel || x.name === channel);
    const a = !c && t && t.apps.find((x) => x.app_id === app);
    S.channel = c ? c.id : null; S.app = a ? a.app_id : null; S.seen.messages = ''; S.seen.home = '';
    replyTo(null);
    const shown = c ? (c.is_im ? '@' + label(c) : '#' + c.name) : null;
    $('title').textContent = c ? shown : a ? a.name + ' — Home' : 'Pick a channel';
    $('composer-label').textContent = c ? 'Message ' + shown : 'Message';
    $('send').disabled = !c;
    // the selection lives in the address, so a reload or a shared link opens the same place
    history.replaceState(null, '', '#' + new URLSearchParams(Object.entries({ team: S.team, user: S.user,
      channel: S.channel, app: S.app }).filter(([, v]) => v)).toString());
    $('channel-view').hidden = !!a;
    $('home-view').hidden = !a;
    if (a) api('/home/open', { ...who(), app_id: a.app_id }).catch(fail);
    renderSide();
    refresh();
  }


  async function loadWorkspaces() {
    const teams = await api('/workspaces');
    const key = JSON.stringify(teams);
    if (key === S.seen.teams) return; // re-rendering unchanged lists would steal keyboard focus
    S.seen.teams = key;
    S.teams = teams;
    if (!team()) S.team = S.teams.length ? S.teams[0].team_id : null;
    const t = team();
    const me = t && t.users.find((u) => !u.is_bot && (u.id === S.user || u.name === S.user));
    S.user = me ? me.id : t && (t.users.find((u) => !u.is_bot) || {}).id || null;
    renderSide();
  }

  let busy = false;
  async function refresh() {
    if (busy || !S.team || !S.user) return;
    busy = true;
    try {
      if (S.channel) {
        const list = (await api('/messages' + q({ team_id: S.team, channel: S.channel }))).messages;
        const key = JSON.stringify(list) + S.user;
        if (key !== S.seen.messages) { S.seen.messages = key; renderMessages(list); }
      }
      if (S.app) {
        const view = await api('/views/home' + q({ ...who(), app_id: S.app }));
        const key = JSON.stringify(view);
        if (key !== S.seen.home) { S.seen.home = key; renderHome(view); }
      }
      const modals = await api('/views/modals' + q(who()));
      const top = modals.length ? modals[modals.length - 1] : null;
      const key = top ? top.id + '|' + top.hash : '';
      if (key !== S.seen.modal) { S.seen.modal = key; renderModal(top); }
      document.body.dataset.ready = 'true';
    } catch (e) { fail(e); } finally { busy = false; }
  }

  $('workspace').addEventListener('change', (e) => { S.team = e.target.value; S.user = null; S.seen.teams = ''; loadWorkspaces().then(() => select(null, null)); });
  $('person').addEventListener('change', (e) => { S.user = e.target.value; S.seen.modal = null; select(S.channel, S.app); });
  $('cancel-reply').addEventListener('click', () => replyTo(null));
  $('composer').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const box = $('composer-text');
    if (!box.value.trim() || !S.channel) return;
    try {
      await api('/messages', { ...who(), channel: S.channel, text: box.value, thread_ts: S.replyTo });
      box.value = '';
      await refresh();
    } catch (e) { fail(e); }
  });
  $('composer-text').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); $('composer').requestSubmit(); }
  });
  $('modal-form').addEventListener('submit', submitModal);
  $('modal-close').addEventListener('click', () => {
    if (modalForm) api('/views/close', { ...who(), view_id: modalForm.view.id }).then(refresh).catch(fail);
  });
  $('modal').addEventListener('cancel', (e) => { e.preventDefault(); $('modal-close').click(); });

  const start = new URLSearchParams(location.hash.slice(1));
  S.team = start.get('team'); S.user = start.get('user');
  loadWorkspaces().then(() => { select(start.get('channel'), start.get('app')); refresh(); setInterval(refresh, 1000); setInterval(() => loadWorkspaces().catch(fail), 5000); })
    .catch(fail);
})();

// entra-pbx: the Microsoft 365 customers page. Signs the admin in (authorization code + PKCE, client
// entra-pbx-console of the realm the page is served in), then reads and acts through admin REST with
// that token: what the admin may see and do is what their realm-management roles allow.
// URL: <keycloak>/realms/<sign-in realm>/entra-pbx-console/#/<realm to manage>[/<customer alias>]
'use strict';
(() => {
  const CLIENT = 'entra-pbx-console';
  const SEGMENT = '/entra-pbx-console/';
  const path = location.pathname;
  const at = path.indexOf('/realms/');
  const base = location.origin + path.substring(0, at);
  const loginRealm = decodeURIComponent(path.substring(at + 8).split('/')[0]);
  const pageUrl = location.origin + path.substring(0, path.indexOf(SEGMENT) + SEGMENT.length);
  const oidc = base + '/realms/' + encodeURIComponent(loginRealm) + '/protocol/openid-connect';
  const PAGE = 20;
  const main = document.getElementById('main');
  let token = null;
  let refreshToken = null;
  let expiresAt = 0;
  let poller = null;
  let invitations = null; // the invitation section of the list, per realm

  // ---------- small DOM helpers (text only: nothing from the server is parsed as HTML) ----------
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on')) e.addEventListener(k.substring(2), v);
      else if (k === 'class') e.className = v;
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }
  function say(text) { document.getElementById('status').textContent = text; }
  function when(iso) { return iso ? new Date(iso).toLocaleString() : '–'; }
  function show(...nodes) { main.replaceChildren(...nodes); }

  // ---------- sign-in ----------
  function b64url(bytes) { return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''); }
  function random(n) { return b64url(crypto.getRandomValues(new Uint8Array(n))); }
  async function signIn() {
    const verifier = random(48);
    const state = random(16);
    sessionStorage.setItem('epc.verifier', verifier);
    sessionStorage.setItem('epc.state', state);
    sessionStorage.setItem('epc.hash', location.hash);
    const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    const q = new URLSearchParams({ client_id: CLIENT, redirect_uri: pageUrl, response_type: 'code', scope: 'openid',
      state, code_challenge: challenge, code_challenge_method: 'S256' });
    location.assign(oidc + '/auth?' + q);
  }
  async function tokenRequest(form) {
    const r = await fetch(oidc + '/token', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form) });
    const body = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error(body.error_description || body.error || ('sign-in failed: HTTP ' + r.status));
    token = body.access_token;
    refreshToken = body.refresh_token;
    expiresAt = Date.now() + (body.expires_in || 60) * 1000;
  }
  async function finishSignIn() {
    const q = new URLSearchParams(location.search);
    if (q.has('error')) throw new Error(q.get('error_description') || q.get('error'));
    if (!q.has('code')) return false;
    const state = sessionStorage.getItem('epc.state');
    const verifier = sessionStorage.getItem('epc.verifier');
    const hash = sessionStorage.getItem('epc.hash') || '';
    sessionStorage.removeItem('epc.state');
    sessionStorage.removeItem('epc.verifier');
    if (!state || q.get('state') !== state) throw new Error('The sign-in answer does not belong to this page; sign in again.');
    await tokenRequest({ grant_type: 'authorization_code', client_id: CLIENT, code: q.get('code'), redirect_uri: pageUrl, code_verifier: verifier });
    history.replaceState(null, '', pageUrl + hash);
    return true;
  }
  async function fresh() {
    if (token && Date.now() < expiresAt - 20000) return;
    if (!refreshToken) { await signIn(); throw new Error('signing in'); }
    await tokenRequest({ grant_type: 'refresh_token', client_id: CLIENT, refresh_token: refreshToken });
  }

  // ---------- admin REST ----------
  class ApiError extends Error { constructor(status, body) { super(body.error_description || body.errorMessage || body.error || ('HTTP ' + status)); this.status = status; this.body = body; } }
  async function api(method, realmPath, realm, body) {
    await fresh();
    const headers = { Authorization: 'Bearer ' + token, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(base + '/admin/realms/' + encodeURIComponent(realm) + realmPath, { method, headers,
      body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    const answer = text ? JSON.parse(text) : {};
    if (!r.ok) {
      if (r.status === 403) throw new ApiError(403, { error_description: 'Your account may not do this in realm ' + realm + ' (it needs view-realm, or manage-realm to act).' });
      throw new ApiError(r.status, answer);
    }
    return answer;
  }

  // ---------- routing: #/<realm>[/<alias>] ----------
  function route() {
    const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
    return { realm: parts[0] || loginRealm, alias: parts[1] || null };
  }
  function go(realm, alias) { location.hash = '#/' + encodeURIComponent(realm) + (alias ? '/' + encodeURIComponent(alias) : ''); }
  async function render() {
    if (poller) { clearInterval(poller); poller = null; }
    const { realm, alias } = route();
    document.getElementById('where').textContent = 'Realm ' + realm + (loginRealm !== realm ? ' (signed in to ' + loginRealm + ')' : '');
    try {
      invitations = null; // a navigation reads the invitations anew; searching and paging keep them
      if (alias) await customer(realm, alias); else await customers(realm, 0, '');
    } catch (e) {
      if (e.message === 'signing in') return;
      show(el('section', { class: 'alert bad', role: 'alert' }, e.message));
    }
  }

  // ---------- the list ----------
  function credentialCell(idp) {
    if (!idp) return el('span', { class: 'muted' }, 'no Entra IdP linked');
    if (idp.daysToExpiry === undefined) return el('span', {}, idp.credentialType);
    const cls = idp.expiryState === 'EXPIRED' ? 'bad' : idp.expiryState === 'EXPIRING_SOON' ? 'warn' : 'ok';
    const words = idp.daysToExpiry < 0 ? 'expired ' + (-idp.daysToExpiry) + ' day(s) ago' : idp.daysToExpiry + ' day(s) left';
    return el('span', { class: cls }, idp.credentialType + ', ' + words);
  }
  function syncCell(sync) {
    if (!sync) return el('span', { class: 'muted' }, 'no sync');
    const run = sync.lastRun;
    if (sync.guardMessage) return el('span', { class: 'warn' }, 'guard holds removals');
    if (!run) return el('span', { class: 'muted' }, 'never ran');
    const cls = run.status === 'SUCCESS' ? 'ok' : run.status === 'RUNNING' ? '' : run.status === 'PARTIAL' ? 'warn' : 'bad';
    return el('span', { class: cls }, run.status.toLowerCase() + (run.status === 'RUNNING' ? ' (' + run.phase + ')' : ', ' + when(run.endedAt || run.startedAt)));
  }
  async function customers(realm, first, search) {
    const q = new URLSearchParams({ first, max: PAGE });
    if (search) q.set('search', search);
    const page = await api('GET', '/entra-sync/customers?' + q, realm);
    const input = el('input', { type: 'search', id: 'search', 'aria-label': 'Search customers by name or alias', placeholder: 'Search customers', value: search });
    let timer = null;
    input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => customers(realm, 0, input.value.trim()).then(() => { const s = document.getElementById('search'); s.focus(); s.setSelectionRange(s.value.length, s.value.length); }), 300); });
    const rows = page.customers.map(c => el('tr', {},
      el('td', { 'data-label': 'Customer' }, el('button', { type: 'button', class: 'link', onclick: () => go(realm, c.alias) }, c.name || c.alias),
        c.enabled ? null : el('span', { class: 'muted' }, ' (disabled)')),
      el('td', { 'data-label': 'Tenant' }, c.identityProvider ? c.identityProvider.tenant || '–' : '–'),
      el('td', { 'data-label': 'Credential' }, credentialCell(c.identityProvider)),
      el('td', { 'data-label': 'Last sync' }, syncCell(c.sync))));
    const nav = el('div', { class: 'row' },
      el('button', { type: 'button', class: 'secondary', disabled: first === 0, onclick: () => customers(realm, Math.max(0, first - PAGE), search) }, 'Previous'),
      el('span', { class: 'muted' }, page.total === 0 ? 'No customers' : (first + 1) + '–' + (first + page.customers.length) + ' of ' + page.total),
      el('button', { type: 'button', class: 'secondary', disabled: first + page.customers.length >= page.total, onclick: () => customers(realm, first + PAGE, search) }, 'Next'));
    show(el('section', {}, el('h2', {}, 'Customers'), el('div', { class: 'row' }, input),
      el('table', { class: 'customers' }, el('thead', {}, el('tr', {}, el('th', {}, 'Customer'), el('th', {}, 'Tenant'), el('th', {}, 'Credential'), el('th', {}, 'Last sync'))),
        el('tbody', {}, rows)), nav), await onboarding(realm));
    say(page.total + ' customer(s)');
  }

  // ---------- onboarding: invitations (entra-onboarding; absent module or no partner app: a hint) ----------
  // built once per realm and kept (see `invitations`): searching and paging the list re-render it, the form need not be fetched again
  async function onboarding(realm) {
    if (!invitations || invitations.realm !== realm) invitations = { realm, node: await onboardingSection(realm) };
    return invitations.node;
  }
  async function onboardingSection(realm) {
    const section = el('section', { 'aria-labelledby': 'onboarding-h' }, el('h2', { id: 'onboarding-h' }, 'Invite a customer'));
    let app;
    try { app = await api('GET', '/entra-onboarding/partner-app', realm); } catch (e) {
      section.append(el('p', { class: 'muted' }, e.status === 404 ? 'Customer onboarding is not installed on this server.' : e.message));
      return section;
    }
    if (!app.configured) {
      section.append(el('p', { class: 'muted' }, 'Configure the partner app first (admin console: Microsoft 365 partner app); register these redirect URIs on it: ' + app.redirectUris.join(', ')));
      return section;
    }
    const field = (id, label, hint, attrs) => el('p', { class: 'field' }, el('label', { for: id }, label), el('input', Object.assign({ type: 'text', id, name: id }, attrs || {})),
      hint ? el('span', { class: 'muted' }, ' ' + hint) : null);
    const result = el('div', { id: 'invite-result', 'aria-live': 'polite' });
    const form = el('form', { id: 'invite-form', novalidate: true, onsubmit: async (ev) => {
      ev.preventDefault();
      const v = (id) => document.getElementById(id).value.trim();
      const body = { name: v('invite-name'), domains: v('invite-domains').split(/[\s,;]+/).filter(Boolean) };
      if (v('invite-range')) body.extensionRange = v('invite-range');
      if (v('invite-start')) body.startNumber = Number(v('invite-start'));
      try {
        const inv = await api('POST', '/entra-onboarding/invitations', realm, body);
        const link = el('input', { type: 'text', readonly: true, value: inv.link, id: 'invite-link', 'aria-label': 'Invitation link' });
        const copy = el('button', { type: 'button', class: 'secondary', onclick: async () => {
          try { await navigator.clipboard.writeText(inv.link); } catch (e) { link.select(); document.execCommand('copy'); }
          say('Invitation link copied');
        } }, 'Copy');
        result.replaceChildren(el('p', { class: 'progress' }, 'Invitation for ' + inv.name + ' created (Organization ' + inv.organizationAlias
          + ', disabled until consent). Send this link to its Microsoft 365 administrator; it is shown only now and works until ' + when(inv.expiresAt) + '.'),
          el('div', { class: 'copy' }, link, copy));
        form.reset();
        await pendingInvitations(realm, pending);
        say('Invitation created');
      } catch (e) {
        const problems = (e.body && e.body.problems) || [];
        result.replaceChildren(el('div', { class: 'alert bad', role: 'alert' }, problems.length
          ? ['The invitation was not created:', el('ul', {}, problems.map(p => el('li', {}, p)))] : e.message));
      }
    } },
      field('invite-name', 'Customer name', null, { required: true, autocomplete: 'organization' }),
      field('invite-domains', 'Email domains', '(comma separated; the consenting tenant must own them)', { required: true }),
      field('invite-range', 'Extension range', '(optional, e.g. 2000-2999)'),
      field('invite-start', 'First extension', '(optional, inside the range)', { inputmode: 'numeric' }),
      el('p', {}, el('button', { type: 'submit', id: 'invite' }, 'Create invitation')));
    const pending = el('div', { id: 'pending' });
    section.append(el('p', { class: 'muted' }, 'Partner app: ' + app.displayName + ' (' + app.clientId + '). The customer\'s admin consents to it at Microsoft; sign-in, user sync and the first full sync are then set up by themselves.'),
      form, result, el('h3', {}, 'Pending invitations'), pending);
    await pendingInvitations(realm, pending);
    return section;
  }
  async function pendingInvitations(realm, holder) {
    const list = await api('GET', '/entra-onboarding/invitations?max=50', realm);
    const open = list.invitations.filter(i => i.status === 'PENDING' || i.status === 'EXPIRED');
    if (!open.length) { holder.replaceChildren(el('p', { class: 'muted' }, 'None.')); return; }
    holder.replaceChildren(el('table', { class: 'customers' }, el('thead', {}, el('tr', {}, el('th', {}, 'Customer'), el('th', {}, 'Domains'), el('th', {}, 'Status'), el('th', {}, ''))),
      el('tbody', {}, open.map(i => el('tr', {},
        el('td', { 'data-label': 'Customer' }, i.name),
        el('td', { 'data-label': 'Domains' }, i.domains.join(', ')),
        el('td', { 'data-label': 'Status' }, el('span', { class: i.status === 'EXPIRED' ? 'warn' : '' }, i.status === 'EXPIRED' ? 'expired' : 'waiting for consent until ' + when(i.expiresAt)),
          i.detail ? el('div', { class: 'muted' }, 'Last attempt: ' + i.detail) : null),
        el('td', {}, el('button', { type: 'button', class: 'secondary', onclick: async () => {
          if (!confirm('Withdraw the invitation for ' + i.name + '? Its link stops working and its empty Organization is deleted.')) return;
          try { await api('DELETE', '/entra-onboarding/invitations/' + encodeURIComponent(i.id), realm); say('Invitation withdrawn'); await pendingInvitations(realm, holder); }
          catch (e) { holder.prepend(el('p', { class: 'alert bad', role: 'alert' }, e.message)); }
        } }, 'Withdraw')))))));
  }

  // ---------- offboarding ----------
  function offboardSection(realm, c) {
    const result = el('div', { id: 'offboard-result', 'aria-live': 'polite' });
    const run = async (users, confirmDeletion) => {
      try {
        const body = { users };
        if (confirmDeletion !== undefined) body.confirmDeletion = confirmDeletion;
        const out = await api('POST', '/entra-onboarding/customers/' + encodeURIComponent(c.organizationId) + '/offboard', realm, body);
        result.replaceChildren(el('p', { class: 'progress' }, 'Offboarded: ' + [].concat(out.identityProvidersRemoved, out.userSyncsRemoved).join(', ') + ' removed; '
          + (out.usersKept !== undefined ? out.usersKept + ' people kept.' : out.usersDeleted + ' people deleted.')), el('p', { class: 'alert' }, out.nextStep));
        say('Customer offboarded');
      } catch (e) {
        if (e.body && e.body.error === 'confirm_deletion') {
          const n = Number((e.message.match(/"confirmDeletion": (\d+)/) || [])[1]);
          if (confirm(e.message + '\n\nDelete ' + n + ' people now?')) return run('delete', n);
          return;
        }
        result.replaceChildren(el('p', { class: 'alert bad', role: 'alert' }, e.message));
      }
    };
    return el('section', { 'aria-labelledby': 'offboard-h' }, el('h2', { id: 'offboard-h' }, 'Offboard'),
      el('p', { class: 'muted' }, 'Removes this customer\'s Microsoft Entra ID identity provider and user sync, and disables the Organization.'),
      el('div', { class: 'row' },
        el('button', { type: 'button', class: 'secondary', id: 'offboard-keep', onclick: () => { if (confirm('Offboard ' + (c.name || c.alias) + ', keeping its people (without Microsoft sign-in)?')) run('keep'); } }, 'Offboard, keep people'),
        el('button', { type: 'button', class: 'secondary', id: 'offboard-delete', onclick: () => run('delete') }, 'Offboard, delete people')), result);
  }

  // ---------- one customer ----------
  async function customer(realm, alias) {
    const page = await api('GET', '/entra-sync/customers?' + new URLSearchParams({ alias }), realm);
    const c = page.customers.find(x => x.alias === alias);
    if (!c) throw new Error('No customer ' + alias + ' in realm ' + realm + '.');
    const back = el('button', { type: 'button', class: 'link', onclick: () => go(realm) }, '← All customers');
    const parts = [el('p', {}, back), el('h2', { id: 'customer-name' }, c.name || c.alias)];
    parts.push(idpSection(c.identityProvider));
    if (c.sync) {
      parts.push(syncSection(realm, c));
      parts.push(await runLog(realm, c.sync.componentId, 0));
    } else {
      parts.push(el('section', {}, el('h2', {}, 'User sync'), el('p', { class: 'muted' }, 'This customer has no Microsoft Entra ID user sync (User federation > Add Microsoft Entra ID users).')));
    }
    parts.push(await ssoSection(realm, c));
    if (c.identityProvider || c.sync) parts.push(offboardSection(realm, c));
    show(...parts);
    main.focus();
    say('Customer ' + (c.name || c.alias));
  }

  function idpSection(idp) {
    if (!idp) return el('section', {}, el('h2', {}, 'Microsoft Entra ID sign-in'), el('p', { class: 'muted' }, 'No Microsoft Entra ID identity provider is linked to this Organization.'));
    const uri = el('input', { type: 'text', readonly: true, value: idp.redirectUri, id: 'redirect-uri', 'aria-label': 'Redirect URI' });
    const copy = el('button', { type: 'button', class: 'secondary', onclick: async () => {
      try { await navigator.clipboard.writeText(idp.redirectUri); } catch (e) { uri.select(); document.execCommand('copy'); }
      say('Redirect URI copied'); copy.textContent = 'Copied'; setTimeout(() => { copy.textContent = 'Copy'; }, 1500);
    } }, 'Copy');
    const items = [['Identity provider', idp.alias + (idp.enabled ? '' : ' (disabled)')], ['Tenant', idp.tenant || '–'], ['Cloud', idp.cloud || '–'],
      ['Credential', credentialCell(idp)], ['Expires', when(idp.credentialExpiresAt)]];
    const dl = el('dl', {}, items.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
    const section = el('section', { 'aria-labelledby': 'idp-h' }, el('h2', { id: 'idp-h' }, 'Microsoft Entra ID sign-in'), dl,
      el('h3', {}, 'Redirect URI (register it in the app registration)'), el('div', { class: 'copy' }, uri, copy));
    if (idp.expiryState === 'EXPIRING_SOON' || idp.expiryState === 'EXPIRED') {
      section.append(el('p', { class: 'alert' + (idp.expiryState === 'EXPIRED' ? ' bad' : ''), role: 'alert' },
        idp.expiryState === 'EXPIRED' ? 'The credential has expired: sign-in through Microsoft fails until the identity provider gets a new one.'
          : 'The credential expires in ' + idp.daysToExpiry + ' day(s): create a new one in the app registration and update the identity provider.'));
    }
    if (idp.certificatePem) {
      const href = 'data:application/x-pem-file;charset=utf-8,' + encodeURIComponent(idp.certificatePem);
      section.append(el('p', {}, el('a', { class: 'button secondary', id: 'certificate', href, download: idp.alias + '.pem' },
        'Download the certificate (.pem) to upload in the app registration')));
    }
    if (idp.others > 0) section.append(el('p', { class: 'muted' }, idp.others + ' more Entra identity provider(s) are linked to this Organization.'));
    return section;
  }

  function progressText(run) {
    return 'Phase: ' + (run.phase || '–') + ' · pages read: ' + run.pagesRead + ' · users written: ' + run.written + ' · Graph retries: ' + run.graphRetries;
  }
  function syncSection(realm, c) {
    const s = c.sync;
    const id = s.componentId;
    const progress = el('div', { id: 'progress', class: 'progress', hidden: true, 'aria-live': 'polite' });
    const result = el('div', { id: 'test-result' });
    const watch = (runId) => {
      progress.hidden = false;
      const tick = async () => {
        const run = await api('GET', '/entra-sync/' + encodeURIComponent(id) + '/runs/' + encodeURIComponent(runId) + '?max=1', realm);
        if (run.status === 'RUNNING') { progress.textContent = 'Running. ' + progressText(run); return; }
        clearInterval(poller); poller = null;
        progress.textContent = 'Finished: ' + run.status + '. Added ' + run.added + ', updated ' + run.updated + ', disabled ' + run.disabled + ', deleted ' + run.deleted
          + ', failed ' + run.failed + '. ' + progressText(run) + (run.message ? ' ' + run.message : '');
        say('Sync finished: ' + run.status);
        setTimeout(() => customer(realm, c.alias).catch(e => show(el('section', { class: 'alert bad', role: 'alert' }, e.message))), 1500);
      };
      if (poller) clearInterval(poller);
      poller = setInterval(() => tick().catch(e => { progress.textContent = e.message; }), 1000);
      tick().catch(e => { progress.textContent = e.message; });
    };
    const start = async (mode) => {
      try {
        const r = await api('POST', '/entra-sync/' + encodeURIComponent(id) + '/sync?mode=' + mode, realm);
        say('Sync started');
        watch(r.runId);
      } catch (e) {
        progress.hidden = false;
        progress.textContent = e.message;
      }
    };
    const test = async () => {
      result.replaceChildren(el('p', { class: 'muted' }, 'Testing …'));
      try {
        const t = await api('POST', '/entra-sync/' + encodeURIComponent(id) + '/test-connection', realm);
        const out = [el('p', { class: t.ok ? 'ok' : 'bad' }, t.ok ? 'The sync can read the tenant' + (t.tenantName ? ' ' + t.tenantName : '') + '.' : 'The sync cannot run as it is.')];
        if (t.missingPermissions && t.missingPermissions.length) out.push(el('ul', { id: 'missing' }, t.missingPermissions.map(m => el('li', {}, m))));
        (t.messages || []).filter(m => !(t.missingPermissions || []).includes(m)).forEach(m => out.push(el('p', {}, m)));
        if (t.adminConsentUrl) out.push(el('p', {}, el('a', { id: 'consent', href: t.adminConsentUrl, target: '_blank', rel: 'noopener noreferrer' },
          'Ask the customer\'s Microsoft 365 admin to grant the permissions (admin consent)')));
        result.replaceChildren(...out);
        say(t.ok ? 'Connection works' : 'Connection has problems');
      } catch (e) { result.replaceChildren(el('p', { class: 'bad' }, e.message)); }
    };
    const items = [['Sync', s.name + (s.enabled ? '' : ' (disabled)')], ['Last run', syncCell(s)],
      ['Schedule', (s.changedSyncPeriodSeconds ? 'changed users every ' + s.changedSyncPeriodSeconds + ' s' : 'no changed-users schedule')
        + '; ' + (s.fullSyncPeriodSeconds ? 'all users every ' + s.fullSyncPeriodSeconds + ' s' : 'no full schedule')],
      ['Next scheduled run', [s.nextChangedSyncAt ? 'changed users from ' + when(s.nextChangedSyncAt) : null,
        s.nextFullSyncAt ? 'all users from ' + when(s.nextFullSyncAt) : null].filter(Boolean).join('; ')
        || (s.changedSyncPeriodSeconds || s.fullSyncPeriodSeconds ? 'within one period of the schedule' : 'none (no schedule)')],
      ['Failed in a row', String(s.failedInARow)]];
    const section = el('section', { 'aria-labelledby': 'sync-h' }, el('h2', { id: 'sync-h' }, 'User sync'),
      el('dl', {}, items.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
      el('div', { class: 'row' },
        el('button', { type: 'button', id: 'sync-changed', onclick: () => start('changed') }, 'Sync changed users'),
        el('button', { type: 'button', id: 'sync-full', class: 'secondary', onclick: () => start('full') }, 'Sync all users'),
        el('button', { type: 'button', id: 'test', class: 'secondary', onclick: test }, 'Test connection')),
      progress, result);
    if (s.guardMessage) {
      const confirm = el('button', { type: 'button', id: 'confirm', onclick: async () => {
        try {
          await api('POST', '/entra-sync/' + encodeURIComponent(id) + '/guard/confirm', realm);
          guard.replaceChildren('Confirmed: the next run performs the held-back removals.');
          say('Removals confirmed');
        } catch (e) { guard.append(el('p', { class: 'bad' }, e.message)); }
      } }, 'Confirm the removals');
      const guard = el('div', { class: 'alert', role: 'alert', id: 'guard' }, el('p', {}, 'The accidental-delete guard held back removals: ' + s.guardMessage),
        el('p', {}, 'If they are real (people left, the scope changed on purpose), confirm once; the next run performs them.'), confirm);
      section.append(guard);
    }
    if (s.lastRun && s.lastRun.status === 'RUNNING') watch(s.lastRun.id);
    return section;
  }

  async function runLog(realm, componentId, first) {
    const list = await api('GET', '/entra-sync/' + encodeURIComponent(componentId) + '/runs?first=' + first + '&max=10', realm);
    const holder = el('section', { 'aria-labelledby': 'runs-h', id: 'runs' });
    const problems = el('div', { id: 'problems' });
    const rows = list.runs.map(r => el('tr', {},
      el('td', {}, when(r.startedAt)), el('td', {}, r.trigger), el('td', {}, r.status),
      el('td', {}, 'added ' + r.added + ', updated ' + r.updated + ', disabled ' + r.disabled + ', deleted ' + r.deleted + ', failed ' + r.failed),
      el('td', {}, r.durationMillis !== undefined ? (r.durationMillis / 1000).toFixed(1) + ' s' : '–'),
      el('td', {}, el('button', { type: 'button', class: 'link', onclick: () => showProblems(realm, componentId, r, problems, 0, '') }, 'Problems'))));
    const nav = el('div', { class: 'row' },
      el('button', { type: 'button', class: 'secondary', disabled: first === 0, onclick: async () => holder.replaceWith(await runLog(realm, componentId, Math.max(0, first - 10))) }, 'Newer'),
      el('span', { class: 'muted' }, list.total + ' run(s)'),
      el('button', { type: 'button', class: 'secondary', disabled: first + list.runs.length >= list.total, onclick: async () => holder.replaceWith(await runLog(realm, componentId, first + 10)) }, 'Older'));
    holder.append(el('h2', { id: 'runs-h' }, 'Run log'),
      el('table', { class: 'runs' }, el('thead', {}, el('tr', {}, ['Started', 'Trigger', 'Status', 'Users', 'Took', ''].map(h => el('th', {}, h)))), el('tbody', {}, rows)),
      nav, problems);
    return holder;
  }

  async function showProblems(realm, componentId, run, holder, first, filter) {
    try {
      const detail = await api('GET', '/entra-sync/' + encodeURIComponent(componentId) + '/runs/' + encodeURIComponent(run.id) + '?first=' + first + '&max=50', realm);
      const input = el('input', { type: 'search', id: 'problem-filter', 'aria-label': 'Filter problems', placeholder: 'Filter by user or reason', value: filter });
      const shown = (detail.problems || []).filter(p => !filter || (p.username || '').toLowerCase().includes(filter.toLowerCase())
        || (p.reason || '').toLowerCase().includes(filter.toLowerCase()) || (p.entraObjectId || '').includes(filter));
      input.addEventListener('change', () => showProblems(realm, componentId, run, holder, first, input.value.trim()));
      holder.replaceChildren(el('h3', {}, 'Problems of the run of ' + when(run.startedAt) + ' (' + detail.problemsTotal + ')'), el('div', { class: 'row' }, input),
        detail.problemsTotal === 0 ? el('p', { class: 'muted' }, 'No problems.') : el('table', {}, el('thead', {}, el('tr', {}, ['Severity', 'User', 'Reason'].map(h => el('th', {}, h)))),
          el('tbody', {}, shown.map(p => el('tr', {}, el('td', {}, p.severity), el('td', {}, p.username || p.entraObjectId || '–'), el('td', {}, p.reason))))),
        el('div', { class: 'row' },
          el('button', { type: 'button', class: 'secondary', disabled: first === 0, onclick: () => showProblems(realm, componentId, run, holder, Math.max(0, first - 50), filter) }, 'Previous'),
          el('button', { type: 'button', class: 'secondary', disabled: first + 50 >= detail.problemsTotal, onclick: () => showProblems(realm, componentId, run, holder, first + 50, filter) }, 'Next')));
    } catch (e) {
      holder.replaceChildren(el('p', { class: 'bad' }, e.message));
    }
  }

  async function ssoSection(realm, c) {
    const section = el('section', { 'aria-labelledby': 'sso-h' }, el('h2', { id: 'sso-h' }, 'SSO policy'));
    try {
      const p = await api('GET', '/sso-policy/organizations/' + encodeURIComponent(c.alias), realm);
      const excluded = (p.excludedUsers || []).length;
      section.append(el('dl', {},
        el('dt', {}, 'Sign-in through Microsoft'), el('dd', { class: p.ssoEnabled ? 'ok' : 'warn', id: 'sso-state' }, p.ssoEnabled ? 'required (SSO on)' : 'off'),
        el('dt', {}, 'Excluded users'), el('dd', {}, String(excluded) + (p.excludedGroup ? ' and the group ' + p.excludedGroup : '')),
        el('dt', {}, 'Saved policy'), el('dd', {}, p.saved ? 'yes' : 'no (the defaults apply)')));
    } catch (e) {
      section.append(el('p', { class: 'muted' }, 'The SSO policy could not be read: ' + e.message));
    }
    section.append(el('p', {}, el('a', { href: base + '/admin/' + encodeURIComponent(loginRealm) + '/console/#/' + encodeURIComponent(realm) + '/organizations/'
      + encodeURIComponent(c.organizationId) + '/settings' }, 'Edit the Organization in the admin console')));
    return section;
  }

  document.getElementById('signout').addEventListener('click', () => {
    const q = new URLSearchParams({ client_id: CLIENT, post_logout_redirect_uri: pageUrl });
    location.assign(oidc + '/logout?' + q);
  });
  window.addEventListener('hashchange', render);
  (async () => {
    try {
      await finishSignIn();
      if (!token) { await signIn(); return; }
      document.getElementById('signout').hidden = false;
      await render();
    } catch (e) {
      show(el('section', { class: 'alert bad', role: 'alert' }, e.message, ' ', el('button', { type: 'button', class: 'link', onclick: signIn }, 'Sign in again')));
    }
  })();
})();

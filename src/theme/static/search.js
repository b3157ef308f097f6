/* broadsheet: the search page. Queries the index `broadsheet build` wrote
   under search/ (docs/search.md), fetching only the shards a query needs
   and the result files of the results shown. No other requests. */
(() => {
  'use strict';

  // Words as the index knows them: the same rules as src/search/tokens.rs.
  const FOLD = { 'ß': 'ss', 'æ': 'ae', 'œ': 'oe', 'þ': 'th', 'ø': 'o', 'ł': 'l', 'đ': 'd', 'ð': 'd', 'ı': 'i', 'ς': 'σ' };
  const WORD = /[\p{Alphabetic}\p{N}\p{M}]+(?:['\u2019\u02BC][\p{Alphabetic}\p{N}\p{M}]+)*/gu;
  const APOSTROPHES = /['\u2019\u02BC]/g;
  const UNSPACED = /[\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF\u3040-\u30FF\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFF66-\uFF9F\u{20000}-\u{3FFFF}]/u;
  const MAX_WORD_BYTES = 48;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const byteLength = (text) => encoder.encode(text).length;

  function fold(text) {
    return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().normalize('NFC')
      .replace(/[ßæœþøłđðıς]/g, (c) => FOLD[c]);
  }

  function emitWord(word, out) {
    const chars = Array.from(word);
    if (!chars.some((c) => UNSPACED.test(c))) {
      if (byteLength(word) <= MAX_WORD_BYTES) out.push(word);
      return;
    }
    let plain = '';
    let run = [];
    const flush = () => {
      if (run.length === 1) out.push(run[0]);
      for (let k = 0; k + 1 < run.length; k++) out.push(run[k] + run[k + 1]);
      run = [];
    };
    for (const c of chars) {
      if (UNSPACED.test(c)) {
        if (plain && byteLength(plain) <= MAX_WORD_BYTES) out.push(plain);
        plain = '';
        run.push(c);
      } else {
        flush();
        plain += c;
      }
    }
    flush();
    if (plain && byteLength(plain) <= MAX_WORD_BYTES) out.push(plain);
  }

  /** Every word of `text`, folded, in order. */
  function tokens(text) {
    const out = [];
    for (const match of fold(text).matchAll(WORD)) emitWord(match[0].replace(APOSTROPHES, ''), out);
    return out;
  }

  // The tests compare these rules with the index's.
  if (typeof window === 'undefined') {
    module.exports = { tokens };
    return;
  }
  window.broadsheetSearchTokens = tokens;

  const root = document.querySelector('.search-page');
  if (!root) return;
  const form = root.querySelector('.search-form');
  const input = form.elements.q;
  const sectionSelect = form.elements.section;
  const yearSelect = form.elements.year;
  const filtersBox = root.querySelector('.search-filters');
  const activeFilters = root.querySelector('.search-active');
  const status = root.querySelector('.search-status');
  const staleNote = root.querySelector('.search-stale');
  const list = root.querySelector('.search-results');
  const more = root.querySelector('.search-more');
  const base = root.dataset.base;
  const PAGE = 10;
  const lang = document.documentElement.lang || undefined;
  const numbers = new Intl.NumberFormat(lang);
  const plurals = new Intl.PluralRules(lang);
  // The page's text in the site's language (`search_strings` of the theme),
  // over the English strings, for a search page made without them (a site's
  // own search.html from before). src/i18n/strings.rs checks them against
  // src/i18n/strings/en.yaml.
  const ENGLISH = /* english strings */ {
    "archive": "Archive",
    "articles": {
      "one": "{n} article",
      "other": "{n} articles"
    },
    "search_filter_author": "Author: {name}",
    "search_filter_tag": "Tag: {name}",
    "search_no_results": "No articles found.",
    "search_no_results_for": "No articles found for “{query}”.",
    "search_no_results_hint": "Check the spelling, use fewer words, or browse:",
    "search_only_author": "Only articles by {name}",
    "search_only_tag": "Only articles tagged {name}",
    "search_remove_filter": "Remove the filter {name}",
    "search_results_for": "{results} for “{query}”",
    "search_searching": "Searching…",
    "search_type_word": "Type a word to search for.",
    "search_unavailable": "Search is not available: its index could not be loaded.",
    "tags": "Tags"
  } /* end */;
  const stringsElement = document.getElementById('search-strings');
  const strings = { ...ENGLISH, ...(stringsElement ? JSON.parse(stringsElement.textContent) : {}) };
  /** The string `key` with its `{name}` placeholders filled from `values`. */
  function say(key, values = {}) {
    const text = typeof strings[key] === 'string' ? strings[key] : key;
    return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));
  }
  /** `n articles`, in the plural form the language uses for `n`. */
  function countArticles(n) {
    const forms = strings.articles || {};
    const form = forms[plurals.select(n)] || forms.other || '{n}';
    return form.replace('{n}', numbers.format(n));
  }

  let manifest = null;
  let firstWords = [];
  const shards = new Map();
  const docs = new Map();
  const names = { tag: new Map(), author: new Map() };
  let results = [];
  let shown = 0;
  let highlight = null;
  let runs = 0;

  function compareBytes(a, b) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  }

  async function fetchOk(url, options) {
    const response = await fetch(url, options);
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    return response;
  }

  async function loadManifest() {
    const response = await fetchOk(root.dataset.index, { cache: 'no-cache' });
    manifest = await response.json();
    firstWords = manifest.shards.map(([first]) => encoder.encode(first));
    shards.clear();
    docs.clear();
    fillSelect(sectionSelect, manifest.sections.map((s) => [s.slug, `${s.name} (${numbers.format(s.count)})`]));
    fillSelect(yearSelect, manifest.years.map((y) => [String(y.year), `${y.year} (${numbers.format(y.count)})`]));
    filtersBox.hidden = false;
  }

  function fillSelect(select, options) {
    const chosen = select.value || select.dataset.wanted || '';
    delete select.dataset.wanted;
    while (select.options.length > 1) select.remove(1);
    for (const [value, label] of options) select.add(new Option(label, value));
    select.value = chosen;
  }

  /** Position of the shard that holds `bytes`: the last whose first word is not after it. */
  function shardIndex(bytes) {
    let low = 0;
    let high = firstWords.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (compareBytes(firstWords[mid], bytes) <= 0) low = mid; else high = mid - 1;
    }
    return low;
  }

  function shard(i) {
    if (!shards.has(i)) {
      const url = `${base}search/shard/${manifest.shards[i][1]}.bin`;
      shards.set(i, fetchOk(url).then((r) => r.arrayBuffer()).then(decodeShard));
    }
    return shards.get(i);
  }

  function decodeShard(buffer) {
    const bytes = new Uint8Array(buffer);
    let at = 0;
    const varint = () => {
      let value = 0;
      let shift = 0;
      for (;;) {
        const b = bytes[at++];
        value += (b & 0x7f) * 2 ** shift;
        if (b < 0x80) return value;
        shift += 7;
      }
    };
    const count = varint();
    const words = new Array(count);
    let previous = new Uint8Array(0);
    for (let i = 0; i < count; i++) {
      const shared = varint();
      const rest = varint();
      const word = new Uint8Array(shared + rest);
      word.set(previous.subarray(0, shared));
      word.set(bytes.subarray(at, at + rest), shared);
      at += rest;
      words[i] = { word: decoder.decode(word), offset: varint() };
      previous = word;
    }
    const start = at;
    const families = new Map();
    const family = (offset) => {
      if (!families.has(offset)) {
        at = start + offset;
        const head = varint();
        const n = Math.floor(head / 2);
        const ids = new Uint32Array(n);
        if (head % 2) {
          // A bitmap of every article.
          let i = 0;
          const end = at + Math.ceil(manifest.docs / 8);
          for (let byte = 0; at < end; at++, byte++) {
            for (let bit = 0; bit < 8; bit++) if (bytes[at] & (1 << bit)) ids[i++] = byte * 8 + bit;
          }
        } else {
          let id = 0;
          for (let i = 0; i < n; i++) { id += varint(); ids[i] = id; }
        }
        families.set(offset, { ids, weights: bytes.subarray(at, at + n) });
      }
      return families.get(offset);
    };
    return { words, family };
  }

  /** The articles a word finds, as id → weight, and the words of its families (for highlighting). */
  async function lookup(word, prefix) {
    const bytes = encoder.encode(word);
    const hits = new Map();
    const forms = new Set();
    let i = shardIndex(bytes);
    // A prefix may run on into the next shards; a few are enough to type on.
    for (let extra = 0; i < firstWords.length && extra < 3; i++, extra++) {
      if (extra > 0 && !manifest.shards[i][0].startsWith(word)) break;
      const s = await shard(i);
      const offsets = new Map();
      for (const entry of s.words) {
        const exact = entry.word === word;
        if (exact || (prefix && entry.word.startsWith(word))) {
          offsets.set(entry.offset, Math.max(offsets.get(entry.offset) || 0, exact ? 1 : 0.8));
        }
      }
      for (const entry of s.words) if (offsets.has(entry.offset)) forms.add(entry.word);
      for (const [offset, scale] of offsets) {
        const { ids, weights } = s.family(offset);
        for (let k = 0; k < ids.length; k++) {
          const w = weights[k] * scale;
          if (!(hits.get(ids[k]) >= w)) hits.set(ids[k], w);
        }
      }
      if (!prefix) break;
      const last = s.words[s.words.length - 1];
      if (!last || !last.word.startsWith(word)) break;
    }
    return { hits, forms };
  }

  function filters() {
    const found = [];
    if (sectionSelect.value) found.push(['#s:', sectionSelect.value]);
    if (yearSelect.value) found.push(['#y:', yearSelect.value]);
    if (form.elements.tag.value) found.push(['#t:', form.elements.tag.value]);
    if (form.elements.author.value) found.push(['#a:', form.elements.author.value]);
    return found;
  }

  async function search() {
    const run = ++runs;
    const text = input.value;
    const words = [...new Set(tokens(text))];
    const chosen = filters();
    saveState();
    renderActiveFilters();
    if (!words.length && !chosen.length) {
      results = [];
      list.replaceChildren();
      more.hidden = true;
      status.textContent = text.trim() ? say('search_type_word') : '';
      return;
    }
    status.textContent = say('search_searching');
    const typing = !/\s$/.test(text);
    const looked = await Promise.all([
      ...words.map((w, i) => lookup(w, typing && i === words.length - 1)),
      ...chosen.map(([prefix, value]) => lookup(prefix + value, false)),
    ]);
    if (run !== runs) return;
    const total = manifest.docs;
    let scores = null;
    const forms = new Set();
    looked.forEach(({ hits, forms: f }, k) => {
      const isFilter = k >= words.length;
      if (!isFilter) f.forEach((w) => forms.add(w));
      const idf = isFilter ? 0 : Math.log(1 + (total - hits.size + 0.5) / (hits.size + 0.5));
      if (scores === null) {
        scores = new Map();
        for (const [id, w] of hits) scores.set(id, w * idf);
        return;
      }
      for (const [id, score] of scores) {
        const w = hits.get(id);
        if (w === undefined) scores.delete(id); else scores.set(id, score + w * idf);
      }
    });
    results = [...scores].sort((a, b) => b[1] - a[1] || b[0] - a[0]).map(([id]) => id);
    highlight = forms;
    list.replaceChildren();
    shown = 0;
    const query = text.trim();
    if (!results.length) {
      const none = query ? say('search_no_results_for', { query }) : say('search_no_results');
      status.replaceChildren(`${none} ${say('search_no_results_hint')} `,
        link(`${base}archive/`, say('archive')), ' · ', link(`${base}tags/`, say('tags')));
      more.hidden = true;
      return;
    }
    const found = countArticles(results.length);
    status.textContent = query ? say('search_results_for', { results: found, query }) : found;
    await showMore(false);
  }

  function link(href, text) {
    const a = document.createElement('a');
    a.href = href;
    a.textContent = text;
    return a;
  }

  function doc(id) {
    if (!docs.has(id)) {
      const url = `${base}search/doc/${Math.floor(id / 1000)}/${id}.json?v=${manifest.version}`;
      docs.set(id, fetchOk(url).then((r) => r.json()));
    }
    return docs.get(id);
  }

  async function showMore(moveFocus) {
    const run = runs;
    const ids = results.slice(shown, shown + PAGE);
    const found = await Promise.all(ids.map(doc));
    if (run !== runs) return;
    const items = found.map(renderResult);
    list.append(...items);
    shown += ids.length;
    more.hidden = shown >= results.length;
    if (moveFocus && items.length) items[0].querySelector('a').focus();
  }

  /** Appends `text` to `parent` with the words of the query marked. */
  function marked(parent, text) {
    let last = 0;
    for (const match of text.matchAll(WORD)) {
      const word = fold(match[0]).replace(APOSTROPHES, '');
      let hit = highlight.has(word);
      if (!hit && UNSPACED.test(word)) hit = [...highlight].some((w) => UNSPACED.test(w) && word.includes(w));
      if (!hit) continue;
      parent.append(text.slice(last, match.index));
      const mark = document.createElement('mark');
      mark.textContent = match[0];
      parent.append(mark);
      last = match.index + match[0].length;
    }
    parent.append(text.slice(last));
  }

  /** About thirty words of `text` around its first match. */
  function snippet(text) {
    let first = -1;
    for (const match of text.matchAll(WORD)) {
      const word = fold(match[0]).replace(APOSTROPHES, '');
      if (highlight.has(word) || (UNSPACED.test(word) && [...highlight].some((w) => word.includes(w)))) {
        first = match.index;
        break;
      }
    }
    if (first < 0) return null;
    let start = Math.max(0, first - 90);
    let end = Math.min(text.length, first + 160);
    if (start > 0) start = text.indexOf(' ', start) + 1 || start;
    if (end < text.length) end = text.lastIndexOf(' ', end) > first ? text.lastIndexOf(' ', end) : end;
    return `${start > 0 ? '… ' : ''}${text.slice(start, end).replace(/\s+/g, ' ').trim()}${end < text.length ? ' …' : ''}`;
  }

  /** The start of `text`, for a result found by its headline or names. */
  function lead(text) {
    if (text.length <= 200) return text.replace(/\s+/g, ' ').trim();
    const end = text.lastIndexOf(' ', 200);
    return `${text.slice(0, end > 0 ? end : 200).replace(/\s+/g, ' ').trim()} …`;
  }

  function renderResult(d) {
    const li = document.createElement('li');
    li.className = 'search-result';
    if (d.section) {
      const kicker = document.createElement('p');
      kicker.className = 'kicker';
      kicker.textContent = d.section.name;
      li.append(kicker);
    }
    const heading = document.createElement('h2');
    const a = document.createElement('a');
    a.href = d.url;
    marked(a, d.title);
    heading.append(a);
    li.append(heading);
    const meta = document.createElement('p');
    meta.className = 'meta';
    const time = document.createElement('time');
    time.dateTime = d.iso;
    time.textContent = d.date;
    meta.append(time);
    if (d.authors.length) meta.append(` · ${d.authors.map((x) => x.name).join(', ')}`);
    li.append(meta);
    const text = snippet(d.text) || lead(d.text);
    if (text) {
      const p = document.createElement('p');
      p.className = 'snippet';
      marked(p, text);
      li.append(p);
    }
    const terms = [...d.tags.map((t) => ['tag', t]), ...d.authors.map((t) => ['author', t])];
    if (terms.length) {
      const chips = document.createElement('p');
      chips.className = 'chips';
      for (const [kind, term] of terms.slice(0, 6)) {
        names[kind].set(term.slug, term.name);
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'chip';
        button.textContent = term.name;
        button.setAttribute('aria-label', say(`search_only_${kind}`, { name: term.name }));
        button.addEventListener('click', () => {
          form.elements[kind].value = term.slug;
          search();
        });
        chips.append(button);
      }
      li.append(chips);
    }
    return li;
  }

  function renderActiveFilters() {
    activeFilters.replaceChildren();
    for (const kind of ['tag', 'author']) {
      const slug = form.elements[kind].value;
      if (!slug) continue;
      const name = names[kind].get(slug) || slug;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'chip active';
      const filter = say(`search_filter_${kind}`, { name });
      button.textContent = `${filter} ×`;
      button.setAttribute('aria-label', say('search_remove_filter', { name: filter }));
      button.addEventListener('click', () => {
        form.elements[kind].value = '';
        search();
        input.focus();
      });
      activeFilters.append(button);
    }
  }

  function saveState() {
    const params = new URLSearchParams();
    if (input.value.trim()) params.set('q', input.value.trim());
    for (const key of ['section', 'year', 'tag', 'author']) {
      if (form.elements[key].value) params.set(key, form.elements[key].value);
    }
    const query = params.toString();
    history.replaceState(null, '', query ? `?${query}` : location.pathname);
  }

  function restoreState() {
    const params = new URLSearchParams(location.search);
    input.value = params.get('q') || '';
    for (const key of ['tag', 'author']) form.elements[key].value = params.get(key) || '';
    // Their options come with the manifest.
    sectionSelect.dataset.wanted = params.get('section') || '';
    yearSelect.dataset.wanted = params.get('year') || '';
  }

  let timer = 0;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(search, 180);
  });
  sectionSelect.addEventListener('change', search);
  yearSelect.addEventListener('change', search);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    search();
  });
  more.addEventListener('click', () => showMore(true));

  // While `broadsheet serve` brings the index up to date after an edit.
  const stale = () => window.broadsheetServe && window.broadsheetServe.searchStale;
  staleNote.hidden = !stale();
  window.addEventListener('broadsheet:search-updated', async () => {
    staleNote.hidden = true;
    await loadManifest();
    search();
  });

  restoreState();
  loadManifest().then(search, (error) => {
    status.textContent = say('search_unavailable');
    console.warn(error);
  });
})();

// dashboard.js - end-to-end test of the dashboard of `dyad serve` in a real browser: playwright-core drives
// Debian's chromium (no browser download). Run by tests/test_server.sh against a server over the database it
// ingested (Freedonia and Sylvania: two months of praise, then five days of attacks that raise an alert).
//   node dashboard.js BASE_URL ARTIFACTS_DIR     (NODE_PATH: where playwright-core is installed)
// Screenshots go to ARTIFACTS_DIR; the last line is "e2e: N passed, N failed".
'use strict';
const path = require('path');
const fs = require('fs');
const { chromium } = require('playwright-core');

const base = process.argv[2];
const art = process.argv[3];
const exe = process.env.CHROMIUM || '/usr/bin/chromium';
let pass = 0, fail = 0;
function check(name, cond, detail) {
  if (cond) pass++;
  else { fail++; console.log('FAIL: e2e: ' + name + (detail !== undefined ? ': ' + JSON.stringify(detail) : '')); }
}

const PHONE = 'Freedonian President Rufus Firefly held a phone call with Sylvanian Prime Minister Vera Trentino on Tuesday.';
const ZURICH = 'Après la réunion à Zürich — tense — Sylvanian Prime Minister Vera Trentino accused Freedonia of violating the ceasefire.';

async function shot(page, name) {
  const file = path.join(art, name);
  await page.screenshot({ path: file, fullPage: true });
  console.log('e2e: screenshot ' + file);
}

// The marks of the events of a list: [{source, target, cameo, marks: [{cls, text}]}]
function eventsOf(page, sel) {
  return page.$$eval(sel + ' li.event', (lis) => lis.map((li) => ({
    source: li.dataset.source, target: li.dataset.target, cameo: li.dataset.cameo,
    evidence: li.querySelector('.evidence').textContent,
    marks: [...li.querySelectorAll('mark')].map((m) => ({ cls: m.className, text: m.textContent })),
  })));
}

(async () => {
  fs.mkdirSync(art, { recursive: true });
  const browser = await chromium.launch({
    executablePath: exe,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 1000 } })).newPage();
    page.setDefaultTimeout(20000);
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('requestfailed', (r) => errors.push('request failed: ' + r.url()));

    // 1. the page, with the top dyads as suggestions
    const resp = await page.goto(base + '/');
    check('page loads', resp && resp.status() === 200, resp && resp.status());
    await page.waitForSelector('body[data-ready="1"]');
    const codes = await page.$$eval('#codes option', (os) => os.map((o) => o.value));
    check('suggestions hold the top dyads\' codes', codes.includes('FRD') && codes.includes('SYL'), codes);
    const chips = await page.$$eval('#top-dyads .chip', (cs) => cs.map((c) => c.textContent));
    check('top dyads listed', chips.some((c) => c.startsWith('FRD → SYL')), chips);

    // 2. pick a dyad: the chart is drawn
    await page.fill('#dyad-a', 'FRD');
    await page.fill('#dyad-b', 'SYL');
    await page.selectOption('#period', 'week');
    await page.check('#both');
    await page.click('#show');
    await page.waitForFunction(() => window.dyadChart && Number(document.getElementById('chart').dataset.points) > 0);
    const px = await page.evaluate(() => {
      const c = document.querySelector('#chart canvas');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let any = 0, green = 0, red = 0, orange = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] === 0) continue;
        any++;
        const r = d[i], g = d[i + 1], b = d[i + 2];
        if (g > r + 40 && g > b + 20) green++;
        else if (r > 150 && g < 110 && b < 110 && r > g + 60) red++;
        else if (r > 200 && g > 100 && g < 160 && b < 80) orange++;
      }
      return { w: c.width, h: c.height, any, green, red, orange };
    });
    check('chart canvas has a size', px.w > 300 && px.h > 200, px);
    check('chart canvas is not empty', px.any > 2000, px);
    check('cooperation bars drawn (green, above zero)', px.green > 200, px);
    check('conflict bars drawn (red, below zero)', px.red > 200, px);
    check('alert marked on the chart (orange)', px.orange > 20, px);
    const alerts = await page.$$eval('#alerts-list li', (ls) => ls.map((l) => l.textContent));
    check('alert listed under the chart', alerts.some((a) => a.includes('FRD → SYL')), alerts);
    await shot(page, '01-chart.png');

    // 3. click the conflict bar: its events, with evidence, actors and trigger highlighted
    const pt = await page.evaluate(() => {
      const u = window.dyadChart;
      const i = u.data[2].findIndex((v) => v < 0);
      const r = u.over.getBoundingClientRect();
      return { i, x: r.left + u.valToPos(u.data[0][i], 'x'), y: r.top + u.valToPos(u.data[2][i] / 2, 'y') };
    });
    check('a conflict period exists', pt.i >= 0, pt);
    await page.mouse.move(pt.x - 3, pt.y);
    await page.mouse.move(pt.x, pt.y);
    await page.mouse.click(pt.x, pt.y);
    await page.waitForSelector('#events-list li.event');
    const evs = await eventsOf(page, '#events-list');
    const att = evs.filter((e) => e.cameo === '190');
    check('the period\'s attacks are listed', att.length >= 3, evs.length);
    const m = att[0] ? att[0].marks : [];
    check('evidence sentence shown', att[0] && /^Freedonia attacked Sylvania near the border post number \d+\.$/.test(att[0].evidence), att[0]);
    check('source span highlighted', m.some((x) => x.cls === 'src' && x.text === 'Freedonia'), m);
    check('target span highlighted', m.some((x) => x.cls === 'tgt' && x.text === 'Sylvania'), m);
    check('trigger span highlighted', m.some((x) => x.cls === 'trg' && x.text === 'attacked'), m);
    const title = await page.textContent('#events-title');
    check('events title names the period', /FRD ↔ SYL, 2026-02-\d\d to 2026-0[23]-\d\d/.test(title), title);
    await shot(page, '02-events.png');

    // 4. the story view of one of them
    await page.click('#events-list li.event[data-cameo="190"] a.story-link');
    await page.waitForSelector('#story:not([hidden]) #story-text mark');
    const storyText = await page.textContent('#story-text');
    check('story view shows the text', /^Freedonia attacked Sylvania near the border post number \d+\.$/.test(storyText), storyText);
    const storyMarks = await page.$$eval('#story-text mark', (ms) => ms.map((x) => x.className + ':' + x.textContent));
    check('story view highlights the spans', storyMarks.includes('trg:attacked') && storyMarks.includes('src:Freedonia'), storyMarks);
    await shot(page, '03-story.png');

    // 5. paste a story with a leaders' phone call: the event appears, coded live
    await page.fill('#code-date', '2026-02-03');
    await page.fill('#code-text', PHONE);
    const li = page.locator('#code-events li.event[data-cameo="041"]');
    await li.waitFor();
    const coded = await eventsOf(page, '#code-events');
    const call = coded.find((e) => e.cameo === '041');
    check('phone call coded: source FRDGOV', call && call.source === 'FRDGOV', coded);
    check('phone call coded: target SYLGOV', call && call.target === 'SYLGOV', coded);
    check('phone call: trigger highlighted', call && call.marks.some((x) => x.cls === 'trg' && x.text === 'held a phone call with'), call);
    check('phone call: actors highlighted', call && call.marks.some((x) => x.cls === 'src' && x.text === 'Freedonian President Rufus Firefly') &&
      call.marks.some((x) => x.cls === 'tgt' && x.text === 'Sylvanian Prime Minister Vera Trentino'), call);
    const st = await page.textContent('#code-status');
    check('code status counts the event', /^1 event in 1 sentence/.test(st), st);
    await shot(page, '04-code-phone-call.png');

    // 6. byte offsets after non-ASCII text still land on the right words
    await page.fill('#code-text', ZURICH);
    await page.locator('#code-events li.event[data-cameo="112"]').waitFor();
    const z = (await eventsOf(page, '#code-events')).find((e) => e.cameo === '112');
    check('non-ASCII story: source span on the right words', z && z.marks.some((x) => x.cls === 'src' && x.text === 'Sylvanian Prime Minister Vera Trentino'), z);
    check('non-ASCII story: trigger starts with "accused"', z && z.marks.some((x) => x.cls.includes('trg') && x.text.startsWith('accused')), z);
    await shot(page, '05-code-non-ascii.png');

    check('no errors in the page', errors.length === 0, errors);
  } finally {
    await browser.close();
  }
})().then(() => {
  console.log('e2e: ' + pass + ' passed, ' + fail + ' failed');
  process.exit(fail ? 1 : 0);
}, (e) => {
  console.log('FAIL: e2e: ' + (e && e.stack ? e.stack : e));
  console.log('e2e: ' + pass + ' passed, ' + (fail + 1) + ' failed');
  process.exit(1);
});

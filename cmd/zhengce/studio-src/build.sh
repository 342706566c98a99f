#!/usr/bin/env bash
# Bundles the workbench page's script with CodeMirror 6 into ../studio/studio.js
# (committed: zhengce embeds it; the intranet has no CDN, CI no npm), and
# copies the licences of what it bundles.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
node_modules/@esbuild/linux-x64/bin/esbuild src/studio.js --bundle --minify --format=iife --target=es2020 \
	--legal-comments=none --outfile=../studio/studio.js
{
	echo "studio.js bundles CodeMirror 6 (https://codemirror.net), MIT licence:"
	echo
	cat node_modules/@codemirror/view/LICENSE
} > ../studio/THIRD_PARTY_LICENSES.txt
for p in $(cd node_modules && ls -d @codemirror/* @lezer/* @marijn/* crelt style-mod w3c-keyname 2>/dev/null); do
	v=$(node -p "require('./node_modules/$p/package.json').version")
	l=$(node -p "require('./node_modules/$p/package.json').license")
	echo "$p $v ($l)"
done >> ../studio/THIRD_PARTY_LICENSES.txt

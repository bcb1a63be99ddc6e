#!/usr/bin/env python3
# check-packaging.py SOURCE_ROOT: what appstreamcli and desktop-file-validate do not check in
# the packaging (TAP output).  The metainfo names its developer with <developer> and lists
# every screenshot of data/screenshots/ with its real size and a caption; the README shows only
# screenshots that exist; the Flatpak manifest is what flatpak-builder reads (JSON, known keys,
# no duplicate keys), builds the app from a git commit, pins every archive by its checksum and
# libsodium with x-checker-data, runs the desktop entry's command, and says why it has each
# permission beyond a window's.
#
# It cannot build the manifest: flatpak-builder and the GNOME runtime are not on the test
# machines (see the README's Packaging section).
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import re
import struct
import sys
import xml.etree.ElementTree as ET

root = sys.argv[1]
results = []


def check(name, condition, detail=''):
    results.append(bool(condition))
    print('%s %d - %s' % ('ok' if condition else 'not ok', len(results), name))
    if not condition and detail:
        for line in str(detail).splitlines():
            print('#   ' + line)


def path(*parts):
    return os.path.join(root, *parts)


def png_size(file):
    with open(file, 'rb') as f:
        header = f.read(24)
    if header[:8] != b'\x89PNG\r\n\x1a\n' or header[12:16] != b'IHDR':
        return None
    return struct.unpack('>II', header[16:24])


# The metainfo

metainfo = ET.parse(path('data', 'io.github.frontdesk.FrontDesk.metainfo.xml.in')).getroot()
app_id = metainfo.findtext('id')

check('the metainfo has no developer_name', metainfo.find('developer_name') is None)
developer = metainfo.find('developer')
check('the metainfo names its developer with <developer id> and <name>',
      developer is not None and re.match(r'^[a-z0-9.-]+\.[a-z0-9-]+$', developer.get('id') or '')
      and (developer.findtext('name') or '').strip())

shots_dir = path('data', 'screenshots')
on_disk = sorted(f for f in os.listdir(shots_dir) if f.endswith('.png'))
listed = []
defaults = 0
for shot in metainfo.iter('screenshot'):
    image = shot.find('image')
    url = (image.text or '').strip() if image is not None else ''
    name = url.rsplit('/', 1)[-1]
    listed.append(name)
    defaults += shot.get('type') == 'default'
    file = os.path.join(shots_dir, name)
    exists = url.endswith('/data/screenshots/' + name) and os.path.isfile(file)
    check('screenshot %s is a file of data/screenshots/' % name, exists, url)
    if exists:
        size = png_size(file)
        declared = (int(image.get('width') or 0), int(image.get('height') or 0))
        check('screenshot %s is %sx%s as the metainfo says' % ((name,) + declared),
              size == declared, 'the file is %sx%s' % size if size else 'not a PNG')
    caption = (shot.findtext('caption') or '').strip()
    check('screenshot %s has a caption' % name, caption and not caption.endswith('.'), caption)
check('one screenshot is the default', defaults == 1)
check('every screenshot of data/screenshots/ is in the metainfo', sorted(listed) == on_disk,
      'listed %s, on disk %s' % (sorted(listed), on_disk))

binaries = [b.text for b in metainfo.iter('binary')]
check('the metainfo provides front-desk and front-desk-admin',
      'front-desk' in binaries and 'front-desk-admin' in binaries, binaries)

with open(path('README.md'), encoding='utf-8') as f:
    readme = f.read()
shown = re.findall(r'\]\((data/screenshots/[^)]+)\)', readme)
check('the README shows only screenshots that exist',
      shown and all(os.path.isfile(path(s)) for s in shown), shown)

# The Flatpak manifest

# flatpak-builder's keys (its manifest reference); "x-" and "//" keys are ignored by it.
TOP_KEYS = {
    'id', 'app-id', 'branch', 'default-branch', 'collection-id', 'extension-tag', 'runtime',
    'runtime-version', 'sdk', 'var', 'metadata', 'command', 'build-runtime', 'build-extension',
    'separate-locales', 'id-platform', 'metadata-platform', 'writable-sdk', 'appstream-compose',
    'sdk-extensions', 'platform-extensions', 'base', 'base-version', 'base-extensions',
    'inherit-extensions', 'inherit-sdk-extensions', 'tags', 'build-options', 'modules',
    'add-extensions', 'add-build-extensions', 'cleanup', 'cleanup-commands', 'cleanup-platform',
    'cleanup-platform-commands', 'prepare-platform-commands', 'finish-args',
    'rename-desktop-file', 'rename-appdata-file', 'rename-mime-file', 'rename-icon',
    'rename-mime-icons', 'appdata-license', 'copy-icon', 'desktop-file-name-prefix',
    'desktop-file-name-suffix',
}
MODULE_KEYS = {
    'name', 'disabled', 'sources', 'config-opts', 'secret-opts', 'make-args',
    'make-install-args', 'rm-configure', 'no-autogen', 'no-parallel-make', 'install-rule',
    'no-make-install', 'no-python-timestamp-fix', 'cmake', 'buildsystem', 'builddir', 'subdir',
    'build-options', 'build-commands', 'post-install', 'cleanup', 'ensure-writable',
    'only-arches', 'skip-arches', 'cleanup-platform', 'run-tests', 'test-rule',
    'test-commands', 'license-files', 'modules',
}
SOURCE_KEYS = {
    'archive': {'type', 'only-arches', 'skip-arches', 'dest', 'path', 'url', 'mirror-urls',
                'referer', 'disable-http-decompression', 'archive-type', 'git-init', 'sha256',
                'sha512', 'strip-components', 'dest-filename'},
    'git': {'type', 'only-arches', 'skip-arches', 'dest', 'path', 'url', 'branch', 'tag',
            'commit', 'disable-fsckobjects', 'disable-shallow-clone', 'disable-submodules',
            'disable-lfs'},
}
BUILDSYSTEMS = {'autotools', 'cmake', 'cmake-ninja', 'meson', 'simple', 'qmake'}
# What a window needs; anything more must say why in a "//finish-args" comment.
PLAIN_ARGS = {'--share=ipc', '--socket=fallback-x11', '--socket=wayland', '--device=dri'}


def unknown(keys, known):
    return sorted(k for k in keys if k not in known and not k.startswith(('x-', '//')))


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise ValueError('duplicate keys: %s' % ', '.join(duplicates))
    return dict(pairs)


manifest_file = path('flatpak', app_id + '.json')
try:
    with open(manifest_file, encoding='utf-8') as f:
        manifest = json.load(f, object_pairs_hook=no_duplicates)
    check('the manifest is JSON without duplicate keys', True)
except (OSError, ValueError) as error:
    check('the manifest is JSON without duplicate keys', False, error)
    print('1..%d' % len(results))
    sys.exit(1)

check('the manifest has only keys flatpak-builder knows', not unknown(manifest, TOP_KEYS),
      unknown(manifest, TOP_KEYS))
check('the manifest builds %s' % app_id, manifest.get('id') == app_id, manifest.get('id'))
check('on the GNOME runtime and SDK',
      manifest.get('runtime') == 'org.gnome.Platform' and manifest.get('sdk') == 'org.gnome.Sdk')
# GNOME 48 has been end-of-life since 24 March 2026; each runtime is supported for about a
# year after its release.
version = str(manifest.get('runtime-version', ''))
check('a GNOME runtime that is still supported (49 or newer)',
      version.isdigit() and int(version) >= 49, version)

with open(path('data', app_id + '.desktop.in'), encoding='utf-8') as f:
    exec_line = re.search(r'^Exec=(\S+)', f.read(), re.M)
check('its command is the desktop entry\'s', exec_line and
      manifest.get('command') == exec_line.group(1), manifest.get('command'))

finish = manifest.get('finish-args', [])
extra = [a for a in finish if a not in PLAIN_ARGS]
reason = manifest.get('//finish-args', '')
check('every permission beyond a window\'s is explained in //finish-args',
      all(a.split('=')[-1].split(':')[0] in reason for a in extra) and
      (not extra or len(reason) > 100), extra)
check('no network, no host file system', '--share=network' not in finish and
      '--filesystem=host' not in finish, finish)
check('the clinic folder\'s -wal and -shm are why the home folder is shared',
      '--filesystem=home' not in finish or ('-wal' in reason and '-shm' in reason))


def modules(items):
    for module in items:
        if isinstance(module, dict):
            yield module
            yield from modules(module.get('modules', []))


all_modules = list(modules(manifest.get('modules', [])))
for module in all_modules:
    name = module.get('name', '?')
    check('module %s has only keys flatpak-builder knows' % name,
          'name' in module and not unknown(module, MODULE_KEYS) and
          module.get('buildsystem', 'autotools') in BUILDSYSTEMS, unknown(module, MODULE_KEYS))
    for source in module.get('sources', []):
        kind = source.get('type') if isinstance(source, dict) else None
        check('module %s: a %s source, not a local dir' % (name, kind), kind in SOURCE_KEYS)
        if kind not in SOURCE_KEYS:
            continue
        check('module %s: its %s source has only known keys' % (name, kind),
              not unknown(source, SOURCE_KEYS[kind]), unknown(source, SOURCE_KEYS[kind]))
        url = source.get('url', '')
        check('module %s: fetched over https' % name, url.startswith('https://'), url)
        if kind == 'git':
            check('module %s: a git commit, not a moving branch' % name,
                  re.fullmatch(r'[0-9a-f]{40}', source.get('commit', '')) and
                  'branch' not in source, source)
        else:
            check('module %s: pinned by its sha256' % name,
                  re.fullmatch(r'[0-9a-f]{64}', source.get('sha256', '')), source)

names = [m.get('name') for m in all_modules]
check('front-desk is the last module, built with meson',
      names and names[-1] == 'front-desk' and all_modules[-1].get('buildsystem') == 'meson',
      names)

sodium = [m for m in all_modules if m.get('name') == 'libsodium']
archive = sodium[0]['sources'][0] if sodium and sodium[0].get('sources') else {}
checker = archive.get('x-checker-data', {})
version_match = re.search(r'libsodium-(\d+\.\d+\.\d+)\.tar\.gz$', archive.get('url', ''))
check('libsodium is pinned to a release and followed by x-checker-data',
      version_match and checker.get('type') in ('html', 'anitya', 'json') and
      checker.get('url-template', '').replace('$version', version_match.group(1)) ==
      archive.get('url') and re.search(checker.get('version-pattern', '^$'),
                                       os.path.basename(archive.get('url', ''))),
      checker)

print('1..%d' % len(results))
sys.exit(0 if all(results) else 1)
